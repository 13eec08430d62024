package dev.berth.acme;

import static org.junit.jupiter.api.Assertions.fail;

import dev.berth.reconcilers.cert.KeyType;
import dev.berth.reconcilers.cert.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Assumptions;

/**
 * A real pebble ACME server and a pebble-challtestsrv DNS server, on free 127.0.0.1 ports, for the
 * ACME issuer's tests.
 *
 * <p>Debian's pebble ships no test certificates, so a CA and a TLS certificate for 127.0.0.1 are
 * made here; the issuer trusts that CA through {@link AcmeConfig#extraTrust()}. challtestsrv
 * answers every A query with 127.0.0.1 (and no AAAA), so pebble's validator reaches the test's
 * http-01 responder for any name, without touching /etc/hosts. Validation is real (no
 * PEBBLE_VA_ALWAYS_VALID) and pebble's default 5% nonce rejection stays on; only the validator's
 * random sleep of up to 15 s is turned off, to keep the tests short.
 *
 * <p>Where the programs are missing the tests are skipped, saying why; with {@code CI=true} they
 * fail instead, because a skip there would hide a broken setup.
 */
public final class PebbleTestEnvironment implements AutoCloseable {

  private static final Path PEBBLE = Path.of("/usr/bin/pebble");
  private static final Path CHALLTESTSRV = Path.of("/usr/bin/pebble-challtestsrv");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final Path directory;
  private final List<Process> processes;
  private final int acmePort;
  private final int managementPort;
  private final int dnsManagementPort;
  private final SSLContext testTrust;

  private PebbleTestEnvironment(
      Path directory,
      List<Process> processes,
      int acmePort,
      int managementPort,
      int dnsManagementPort,
      SSLContext trust) {
    this.directory = directory;
    this.processes = processes;
    this.acmePort = acmePort;
    this.managementPort = managementPort;
    this.dnsManagementPort = dnsManagementPort;
    this.testTrust = trust;
  }

  /**
   * Starts challtestsrv and pebble, pebble validating http-01 on {@code httpPort}.
   *
   * @param macKeys external account binding keys by key identifier; if not empty, pebble requires a
   *     binding
   */
  public static PebbleTestEnvironment start(int httpPort, Map<String, String> macKeys)
      throws Exception {
    for (Path program : List.of(PEBBLE, CHALLTESTSRV)) {
      if (!Files.isExecutable(program)) {
        cannotRun(program + " is not installed (apt-get install pebble)");
      }
    }
    Path directory = Files.createTempDirectory("berth-pebble-test");
    List<Process> processes = new ArrayList<>();
    try {
      SSLContext trust = writeTlsCertificates(directory);
      int dnsPort = freeUdpAndTcpPort();
      int challtestManagementPort = freeTcpPort();
      Process challtestsrv =
          startProcess(
              directory.resolve("challtestsrv.log"),
              CHALLTESTSRV.toString(),
              "-defaultIPv4",
              "127.0.0.1",
              "-defaultIPv6",
              "",
              "-dns01",
              "127.0.0.1:" + dnsPort,
              "-http01",
              "",
              "-https01",
              "",
              "-tlsalpn01",
              "",
              "-management",
              "127.0.0.1:" + challtestManagementPort);
      processes.add(challtestsrv);
      awaitListening(challtestsrv, dnsPort, directory.resolve("challtestsrv.log"));

      int acmePort = freeTcpPort();
      int managementPort = freeTcpPort();
      Path config = directory.resolve("pebble-config.json");
      Files.writeString(
          config, pebbleConfig(directory, acmePort, managementPort, httpPort, macKeys));
      Process pebble =
          startProcess(
              directory.resolve("pebble.log"),
              PEBBLE.toString(),
              "-config",
              config.toString(),
              "-dnsserver",
              "127.0.0.1:" + dnsPort);
      processes.add(pebble);
      awaitListening(pebble, managementPort, directory.resolve("pebble.log"));
      awaitListening(pebble, acmePort, directory.resolve("pebble.log"));
      return new PebbleTestEnvironment(
          directory, processes, acmePort, managementPort, challtestManagementPort, trust);
    } catch (Exception | Error e) {
      stop(processes);
      deleteRecursively(directory);
      throw e;
    }
  }

  private static void cannotRun(String why) {
    if ("true".equals(System.getenv("CI"))) {
      fail("pebble tests cannot run, and CI=true forbids a skip: " + why);
    }
    Assumptions.abort("pebble tests skipped: " + why);
  }

  /** The ACME directory URL. */
  public URI directoryUrl() {
    return URI.create("https://127.0.0.1:" + acmePort + "/dir");
  }

  /**
   * The PEM file of the CA behind pebble's TLS certificate, for {@link AcmeConfig#extraTrust()}.
   */
  public Path tlsCa() {
    return directory.resolve("tls-ca.pem");
  }

  /** The root that pebble signs certificates under, from its management interface. */
  public X509Certificate issuingRoot() throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(testTrust).build();
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + managementPort + "/roots/0"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("pebble's /roots/0 answered " + response.statusCode());
    }
    return Pem.decodeCertificates(response.body()).get(0);
  }

  /**
   * Makes the host resolve to {@code ipv4} instead of 127.0.0.1, through challtestsrv's management
   * API.
   */
  void resolve(String host, String ipv4) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + dnsManagementPort + "/add-a"))
                    .timeout(Duration.ofSeconds(10))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"host\": \"" + host + ".\", \"addresses\": [\"" + ipv4 + "\"]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "challtestsrv's /add-a answered " + response.statusCode() + ": " + response.body());
    }
  }

  /** What the two servers logged, for failure messages. */
  public String logs() throws IOException {
    return Files.readString(directory.resolve("challtestsrv.log"))
        + Files.readString(directory.resolve("pebble.log"));
  }

  @Override
  public void close() throws IOException {
    try {
      stop(processes);
    } finally {
      deleteRecursively(directory);
    }
  }

  private static String pebbleConfig(
      Path directory, int acmePort, int managementPort, int httpPort, Map<String, String> macKeys) {
    String keys =
        macKeys.entrySet().stream()
            .map(e -> "\"" + e.getKey() + "\": \"" + e.getValue() + "\"")
            .collect(Collectors.joining(", ", "{", "}"));
    return """
        {
          "pebble": {
            "listenAddress": "127.0.0.1:%d",
            "managementListenAddress": "127.0.0.1:%d",
            "certificate": "%s",
            "privateKey": "%s",
            "httpPort": %d,
            "tlsPort": %d,
            "ocspResponderURL": "",
            "externalAccountBindingRequired": %b,
            "externalAccountMACKeys": %s
          }
        }
        """
        .formatted(
            acmePort,
            managementPort,
            directory.resolve("tls-cert.pem"),
            directory.resolve("tls-key.pem"),
            httpPort,
            freeTcpPort(),
            !macKeys.isEmpty(),
            keys);
  }

  /**
   * A CA, and a certificate for 127.0.0.1 and localhost signed by it, for pebble's TLS; returns an
   * SSL context that trusts the CA, for the test's own requests to pebble's management interface.
   */
  private static SSLContext writeTlsCertificates(Path directory) throws Exception {
    Instant now = Instant.now();
    KeyPair caKey = KeyType.EC_P256.generate();
    X500Name caName = new X500Name("CN=Berth test CA for pebble");
    X509v3CertificateBuilder ca =
        new JcaX509v3CertificateBuilder(
                caName,
                BigInteger.ONE,
                Date.from(now.minusSeconds(60)),
                Date.from(now.plus(Duration.ofDays(1))),
                caName,
                caKey.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
            .addExtension(
                Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    X509Certificate caCertificate = sign(ca, caKey);

    KeyPair serverKey = KeyType.EC_P256.generate();
    X509v3CertificateBuilder server =
        new JcaX509v3CertificateBuilder(
                caCertificate,
                BigInteger.TWO,
                Date.from(now.minusSeconds(60)),
                Date.from(now.plus(Duration.ofDays(1))),
                new X500Name("CN=localhost"),
                serverKey.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
            .addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
            .addExtension(
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(
                    new GeneralName[] {
                      new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                      new GeneralName(GeneralName.dNSName, "localhost")
                    }));
    X509Certificate serverCertificate = sign(server, caKey);

    Files.writeString(
        directory.resolve("tls-ca.pem"), Pem.encodeCertificates(List.of(caCertificate)));
    Files.writeString(
        directory.resolve("tls-cert.pem"), Pem.encodeCertificates(List.of(serverCertificate)));
    Files.writeString(
        directory.resolve("tls-key.pem"), Pem.encodePrivateKey(serverKey.getPrivate()));

    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("test-ca", caCertificate);
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  private static Process startProcess(Path log, String... command) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // Real validation, but without the random wait of up to 15 s before each one.
    builder.environment().put("PEBBLE_VA_NOSLEEP", "1");
    builder.environment().remove("PEBBLE_VA_ALWAYS_VALID");
    builder.environment().remove("PEBBLE_WFE_NONCEREJECT");
    return builder.start();
  }

  private static void awaitListening(Process process, int port, Path log) throws Exception {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            process.info().command().orElse("a test server")
                + " exited with "
                + process.exitValue()
                + ":\n"
                + Files.readString(log));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException(
        "nothing listens on 127.0.0.1:"
            + port
            + " after "
            + START_TIMEOUT
            + ":\n"
            + Files.readString(log));
  }

  private static void stop(List<Process> processes) {
    for (Process process : processes) {
      process.destroy();
    }
    for (Process process : processes) {
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  static int freeTcpPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free TCP port on 127.0.0.1", e);
    }
  }

  /** DNS listens on UDP and TCP alike. */
  private static int freeUdpAndTcpPort() throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      int port = freeTcpPort();
      try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
        return udp.getLocalPort();
      } catch (IOException taken) {
        // Try another.
      }
    }
    throw new IOException("no port free for both UDP and TCP on 127.0.0.1");
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
