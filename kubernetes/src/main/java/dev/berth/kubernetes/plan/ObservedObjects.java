package dev.berth.kubernetes.plan;

import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TLSRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the cluster holds, as far as one BerthService's plan is concerned: the objects of the kinds
 * the planner writes that carry the service's {@link ClusterLabels#SERVICE} label, and those at a
 * name the plan uses (whoever holds it, so that a name conflict shows). Passing more, such as a
 * whole namespace's cache, is harmless: the planner looks only at those.
 *
 * <p>Pods are read, never written or deleted: a Deployment's pods say what its status does not, why
 * a pod of the current spec does not run (its image cannot be pulled, it crash-loops, no node takes
 * it). Pass those labelled with the service's {@link ClusterLabels#SERVICE}, as for the other
 * kinds; the planner picks each component's by {@link ClusterLabels#COMPONENT} and {@link
 * ClusterLabels#SPEC_HASH}.
 *
 * @param pods the pods labelled for the service (read only)
 * @param tlsRouteApi whether the cluster serves Gateway API's {@code TLSRoute}
 *     (gateway.networking.k8s.io/v1alpha2); without it, l4 routes are not served
 * @param issueFailures by certificate Secret name, why the operator's own issuer could not issue it
 *     just now (certificates source local-ca): the route's CertificateReady says so
 */
public record ObservedObjects(
    List<Deployment> deployments,
    List<Service> services,
    List<Ingress> ingresses,
    List<TLSRoute> tlsRoutes,
    List<Certificate> certificates,
    List<Secret> secrets,
    List<Pod> pods,
    boolean tlsRouteApi,
    Map<String, String> issueFailures) {

  /** What the cluster holds, with no failed issue. */
  public ObservedObjects(
      List<Deployment> deployments,
      List<Service> services,
      List<Ingress> ingresses,
      List<TLSRoute> tlsRoutes,
      List<Certificate> certificates,
      List<Secret> secrets,
      List<Pod> pods,
      boolean tlsRouteApi) {
    this(
        deployments,
        services,
        ingresses,
        tlsRoutes,
        certificates,
        secrets,
        pods,
        tlsRouteApi,
        Map.of());
  }

  public ObservedObjects {
    issueFailures = Map.copyOf(issueFailures);
    deployments = List.copyOf(deployments);
    services = List.copyOf(services);
    ingresses = List.copyOf(ingresses);
    tlsRoutes = List.copyOf(tlsRoutes);
    certificates = List.copyOf(certificates);
    secrets = List.copyOf(secrets);
    pods = List.copyOf(pods);
  }

  /** An empty cluster that serves TLSRoutes: what the first plan of a new service sees. */
  public static ObservedObjects none() {
    return new ObservedObjects(
        List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), true);
  }

  public ObservedObjects withTlsRouteApi(boolean value) {
    return new ObservedObjects(
        deployments,
        services,
        ingresses,
        tlsRoutes,
        certificates,
        secrets,
        pods,
        value,
        issueFailures);
  }

  /** These objects, and the issue of the certificate for Secret {@code secretName} failed so. */
  public ObservedObjects withIssueFailure(String secretName, String message) {
    Map<String, String> failures = new java.util.HashMap<>(issueFailures);
    failures.put(secretName, message);
    return new ObservedObjects(
        deployments,
        services,
        ingresses,
        tlsRoutes,
        certificates,
        secrets,
        pods,
        tlsRouteApi,
        failures);
  }

  /** These objects plus {@code more}, each to the list of its kind. */
  public ObservedObjects with(HasMetadata... more) {
    List<Deployment> d = new ArrayList<>(deployments);
    List<Service> s = new ArrayList<>(services);
    List<Ingress> i = new ArrayList<>(ingresses);
    List<TLSRoute> t = new ArrayList<>(tlsRoutes);
    List<Certificate> c = new ArrayList<>(certificates);
    List<Secret> x = new ArrayList<>(secrets);
    List<Pod> p = new ArrayList<>(pods);
    for (HasMetadata object : more) {
      if (object instanceof Deployment deployment) {
        d.add(deployment);
      } else if (object instanceof Service service) {
        s.add(service);
      } else if (object instanceof Ingress ingress) {
        i.add(ingress);
      } else if (object instanceof TLSRoute route) {
        t.add(route);
      } else if (object instanceof Certificate certificate) {
        c.add(certificate);
      } else if (object instanceof Secret secret) {
        x.add(secret);
      } else if (object instanceof Pod pod) {
        p.add(pod);
      } else {
        throw new IllegalArgumentException("the planner observes no " + object.getKind());
      }
    }
    return new ObservedObjects(d, s, i, t, c, x, p, tlsRouteApi, issueFailures);
  }

  /**
   * Every object of the kinds the planner writes, whatever its kind; not the pods, which are only
   * read (never written over, deleted or cleaned up).
   */
  public List<HasMetadata> all() {
    List<HasMetadata> all = new ArrayList<>();
    all.addAll(deployments);
    all.addAll(services);
    all.addAll(ingresses);
    all.addAll(tlsRoutes);
    all.addAll(certificates);
    all.addAll(secrets);
    return all;
  }
}
