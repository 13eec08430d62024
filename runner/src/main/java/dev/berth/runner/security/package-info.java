/**
 * Who may call the agent, and where it listens.
 *
 * <p>{@link dev.berth.runner.security.ApiServers} starts one gRPC server per listener of a {@link
 * dev.berth.runner.security.ListenSettings}:
 *
 * <ul>
 *   <li>a unix socket whose file mode (0600) is the authentication: only the agent's own user (and
 *       root) can connect;
 *   <li>TCP with mutual TLS: the client presents a certificate that chains to the configured client
 *       CA, and its subject must be on the allow list ({@link
 *       dev.berth.runner.security.ClientCertificateInterceptor});
 *   <li>plain TCP, only when explicitly allowed: unauthenticated and unencrypted, for a trusted
 *       network or a test.
 * </ul>
 *
 * <p>A bearer token ({@link dev.berth.runner.security.BearerTokenInterceptor}) is an optional
 * second factor on every listener. The settings here are independent of the configuration file's
 * model: the runner maps one onto the other.
 *
 * <p><b>Internal</b>: the runner is an application; not part of Berth's API, it may change in any
 * release.
 */
package dev.berth.runner.security;
