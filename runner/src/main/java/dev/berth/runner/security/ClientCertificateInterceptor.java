package dev.berth.runner.security;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits a call only when its TLS connection carries a client certificate whose subject is on the
 * allow list.
 *
 * <p>The TLS layer has already checked that a certificate, when there is one, chains to the client
 * CA: the listener asks for a certificate without requiring one, so that a client that sends none
 * completes the handshake and gets a clear {@code UNAUTHENTICATED} here rather than an opaque
 * handshake failure. A certificate whose subject is not allowed gets {@code PERMISSION_DENIED}
 * naming the subject (the client knows its own subject: nothing leaks).
 *
 * <p>Subjects are compared in their canonical form ({@link X500Principal#CANONICAL}): {@code
 * CN=Ops, O=Example} and {@code cn=ops,o=example} are the same subject.
 */
public final class ClientCertificateInterceptor implements ServerInterceptor {

  /** The subject of the admitted caller's certificate, for the services behind (audit logs). */
  public static final Context.Key<X500Principal> SUBJECT = Context.key("berth-client-subject");

  private static final Logger LOG = LoggerFactory.getLogger(ClientCertificateInterceptor.class);

  private final Set<String> allowed;
  private final RefusalLog refusals;

  /**
   * @param allowedSubjects the subjects that may call; not empty
   */
  public ClientCertificateInterceptor(Collection<X500Principal> allowedSubjects) {
    this(allowedSubjects, new RefusalLog(LOG));
  }

  ClientCertificateInterceptor(Collection<X500Principal> allowedSubjects, RefusalLog refusals) {
    if (allowedSubjects.isEmpty()) {
      throw new IllegalArgumentException("allowedSubjects: must not be empty");
    }
    this.allowed =
        allowedSubjects.stream()
            .map(subject -> subject.getName(X500Principal.CANONICAL))
            .collect(Collectors.toUnmodifiableSet());
    this.refusals = refusals;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    X509Certificate certificate = clientCertificate(call);
    if (certificate == null) {
      refusals.refused("no client certificate", Callers.peer(call), method);
      return Callers.refuse(
          call,
          Status.UNAUTHENTICATED.withDescription(
              "a client certificate issued by the agent's client CA is required, none was"
                  + " presented"));
    }
    X500Principal subject = certificate.getSubjectX500Principal();
    if (!allowed.contains(subject.getName(X500Principal.CANONICAL))) {
      String name = subject.getName(X500Principal.RFC2253);
      refusals.refused("subject not allowed", name + " from " + Callers.peer(call), method);
      return Callers.refuse(
          call,
          Status.PERMISSION_DENIED.withDescription(
              "client certificate subject \"" + name + "\" is not allowed to call this agent"));
    }
    Context context = Context.current().withValue(SUBJECT, subject);
    return Contexts.interceptCall(context, call, headers, next);
  }

  private static X509Certificate clientCertificate(ServerCall<?, ?> call) {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session == null) {
      return null;
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
        return leaf;
      }
      return null;
    } catch (SSLPeerUnverifiedException noCertificate) {
      return null;
    }
  }
}
