package dev.berth.reconcilers.cert;

import dev.berth.reconcilers.service.CertificateState;

/** Where the service loop learns about certificates, and asks for them. */
public interface CertificateSource {

  /** The hostname's certificate as known now. */
  CertificateState state(String hostname);

  /** Asks for the hostname's certificate; the work happens elsewhere. */
  void request(String hostname);

  /** No issuer configured: every L7 route stays blocked, and says why. */
  CertificateSource NONE =
      new CertificateSource() {
        private final CertificateState none =
            CertificateState.failed(
                "no certificate issuer is configured, so L7 routes cannot be served");

        @Override
        public CertificateState state(String hostname) {
          return none;
        }

        @Override
        public void request(String hostname) {}
      };
}
