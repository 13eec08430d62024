package dev.berth.store.validation;

import dev.berth.store.model.ComponentSpec;
import dev.berth.store.model.HealthProbe;
import dev.berth.store.model.PortMapping;
import dev.berth.store.model.RestartPolicy;
import dev.berth.store.model.RouteSpec;
import dev.berth.store.model.RuntimeKind;
import dev.berth.store.model.VolumeMount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A mutable copy of a {@link ComponentSpec}, so that a test can change one field of a valid
 * component and say nothing about the others. Maps are {@link LinkedHashMap}s so that a test can
 * put the null keys and values that a parser might produce.
 */
final class ComponentDraft {

  private String name;
  private RuntimeKind runtime;
  private String image;
  private String executable;
  private List<String> cmd;
  private final Map<String, String> env;
  private List<VolumeMount> volumes;
  private List<PortMapping> ports;
  private String network;
  private String user;
  private RestartPolicy restart;
  private int memoryMb;
  private int vcpus;
  private List<RouteSpec> routes;
  private HealthProbe health;
  private final Map<String, String> labels;

  private ComponentDraft(ComponentSpec c) {
    name = c.name();
    runtime = c.runtime();
    image = c.image();
    executable = c.executable();
    cmd = c.cmd();
    env = new LinkedHashMap<>(c.env());
    volumes = c.volumes();
    ports = c.ports();
    network = c.network();
    user = c.user();
    restart = c.restart();
    memoryMb = c.memoryMb();
    vcpus = c.vcpus();
    routes = c.routes();
    health = c.health();
    labels = new LinkedHashMap<>(c.labels());
  }

  static ComponentDraft of(ComponentSpec component) {
    return new ComponentDraft(component);
  }

  ComponentDraft name(String value) {
    name = value;
    return this;
  }

  ComponentDraft runtime(RuntimeKind value) {
    runtime = value;
    return this;
  }

  ComponentDraft image(String value) {
    image = value;
    return this;
  }

  ComponentDraft executable(String value) {
    executable = value;
    return this;
  }

  ComponentDraft cmd(String... args) {
    cmd = List.of(args);
    return this;
  }

  /** Adds or replaces one variable. */
  ComponentDraft env(String key, String value) {
    env.put(key, value);
    return this;
  }

  ComponentDraft volumes(VolumeMount... value) {
    volumes = List.of(value);
    return this;
  }

  ComponentDraft ports(PortMapping... value) {
    ports = List.of(value);
    return this;
  }

  ComponentDraft network(String value) {
    network = value;
    return this;
  }

  ComponentDraft user(String value) {
    user = value;
    return this;
  }

  ComponentDraft memoryMb(int value) {
    memoryMb = value;
    return this;
  }

  ComponentDraft vcpus(int value) {
    vcpus = value;
    return this;
  }

  ComponentDraft routes(RouteSpec... value) {
    routes = List.of(value);
    return this;
  }

  ComponentDraft addRoute(RouteSpec route) {
    List<RouteSpec> more = new ArrayList<>(routes);
    more.add(route);
    routes = more;
    return this;
  }

  ComponentDraft health(HealthProbe value) {
    health = value;
    return this;
  }

  /** Adds or replaces one label. */
  ComponentDraft label(String key, String value) {
    labels.put(key, value);
    return this;
  }

  ComponentSpec build() {
    return new ComponentSpec(
        name,
        runtime,
        image,
        executable,
        cmd,
        env,
        volumes,
        ports,
        network,
        user,
        restart,
        memoryMb,
        vcpus,
        routes,
        health,
        labels);
  }
}
