/**
 * The cluster mode: the {@code BerthService} custom resource, its conversion to and from the spec
 * module's {@code ServiceSpec}, and a pure planner that maps a spec onto Deployments, Services,
 * Ingresses, TLSRoutes and certificates. fabric8 and java-operator-sdk types stay inside this
 * module; the spec module's model, validation, identity and status words are reused, never copied.
 */
package dev.berth.kubernetes;
