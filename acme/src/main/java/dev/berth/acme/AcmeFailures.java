package dev.berth.acme;

import dev.berth.reconcilers.cert.IssuanceException;
import java.util.Set;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;

/**
 * Turns what went wrong with an ACME server into an {@link IssuanceException}: the server's problem
 * detail in the message, and whether retrying can help.
 *
 * <p>A problem is permanent when only a change by the operator can fix it (a name the CA refuses,
 * an answer that was wrong, a rejected account or CSR). Everything else, including problem types
 * this list does not know, is retried with backoff: a wrongly retried error costs a few requests, a
 * wrongly permanent one blocks a certificate until someone notices.
 */
final class AcmeFailures {

  private static final String ACME_ERROR = "urn:ietf:params:acme:error:";

  private static final Set<String> PERMANENT =
      Set.of(
          "accountDoesNotExist",
          "alreadyRevoked",
          "badCSR",
          "badPublicKey",
          "badRevocationReason",
          "badSignatureAlgorithm",
          "caa",
          "externalAccountRequired",
          "incorrectResponse",
          "invalidContact",
          "malformed",
          "rejectedIdentifier",
          "unauthorized",
          "unsupportedContact",
          "unsupportedIdentifier",
          "userActionRequired");

  private AcmeFailures() {}

  /** The failure of a step, e.g. {@code "registering the account"}. */
  static IssuanceException of(String step, AcmeException e) {
    if (e instanceof AcmeRateLimitedException limited) {
      String after = limited.getRetryAfter().map(at -> " (retry after " + at + ")").orElse("");
      return new IssuanceException(
          "acme: " + step + " was rate limited: " + limited.getProblem() + after, true, e);
    }
    if (e instanceof AcmeServerException server) {
      return new IssuanceException(
          "acme: " + step + " failed: " + server.getProblem(), retryable(server.getProblem()), e);
    }
    if (e instanceof AcmeNetworkException) {
      return new IssuanceException(
          "acme: " + step + " failed: cannot reach the ACME server: " + causeOf(e), true, e);
    }
    return new IssuanceException("acme: " + step + " failed: " + e.getMessage(), true, e);
  }

  /** The failure the server reported for a challenge or an order. */
  static IssuanceException of(String step, Problem problem) {
    return new IssuanceException("acme: " + step + " failed: " + problem, retryable(problem));
  }

  /** A compound problem is retryable only if each of its parts is. */
  static boolean retryable(Problem problem) {
    if (!problem.getSubProblems().isEmpty()) {
      return problem.getSubProblems().stream().allMatch(AcmeFailures::retryable);
    }
    String type = problem.getType().toString();
    return !(type.startsWith(ACME_ERROR)
        && PERMANENT.contains(type.substring(ACME_ERROR.length())));
  }

  /** The first message along the cause chain: the JDK's HTTP client wraps the telling one. */
  private static String causeOf(Throwable e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null) {
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
      }
    }
    return e.getCause() != null ? e.getCause().getClass().getSimpleName() : e.getMessage();
  }
}
