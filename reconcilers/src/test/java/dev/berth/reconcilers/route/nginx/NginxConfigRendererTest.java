package dev.berth.reconcilers.route.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.reconcilers.route.RouteBinding;
import dev.berth.reconcilers.route.RouteBinding.CertificateFiles;
import dev.berth.reconcilers.route.RouteException;
import dev.berth.spec.model.RouteMode;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The text of {@code nginx.conf} for small route sets, without running nginx. */
class NginxConfigRendererTest {

  private static final NginxConfig CONFIG =
      NginxConfig.builder(Path.of("/srv/berth/nginx"), Path.of("/srv/berth/nginx-run"))
          .listenAddress("127.0.0.1")
          .build();

  private static final RouteBinding APP =
      l7("shop", "app.example.com", 443, 8080, "/certs/app", "aa11");
  private static final RouteBinding API =
      l7("shop", "api.example.com", 443, 8081, "/certs/api", "bb22");
  private static final RouteBinding DB = l4("db", "db.example.com", 5433, 5432);

  @Test
  void rendersASmallSetSortedByPortAndHostname() {
    String text = new NginxConfigRenderer(CONFIG, true).render(Set.of(APP, API, DB));

    assertThat(text).isEqualTo(EXPECTED);
  }

  @Test
  void theSameSetInAnyOrderRendersTheSameText() {
    NginxConfigRenderer renderer = new NginxConfigRenderer(CONFIG, true);
    Set<RouteBinding> forwards = new LinkedHashSet<>(List.of(APP, API, DB));
    Set<RouteBinding> backwards = new LinkedHashSet<>(List.of(DB, API, APP));

    assertThat(renderer.render(forwards)).isEqualTo(renderer.render(backwards));
  }

  @Test
  void aRenewedCertificateChangesTheText() {
    NginxConfigRenderer renderer = new NginxConfigRenderer(CONFIG, true);
    RouteBinding renewed = l7("shop", "app.example.com", 443, 8080, "/certs/app", "cc33");

    assertThat(renderer.render(Set.of(renewed))).isNotEqualTo(renderer.render(Set.of(APP)));
  }

  @Test
  void twoRoutesClaimingOneHostnameOnOnePortAreRefused() {
    RouteBinding other = l4("other", "APP.example.com", 443, 9000);

    assertThatThrownBy(() -> new NginxConfigRenderer(CONFIG, true).render(Set.of(APP, other)))
        .isInstanceOf(RouteException.class)
        .hasMessageContaining("both claim app.example.com on listener port 443");
  }

  @Test
  void anL4RouteWithoutHostnameOwnsItsPortWithoutReadingTheSni() {
    String text = new NginxConfigRenderer(CONFIG, true).render(Set.of(l4("mc", null, 25565, 9000)));

    assertThat(text)
        .contains(
            """
                # listener port 25565: every connection passed through to mc/db/tls
                server {
                    listen 127.0.0.1:25565;
                    proxy_pass 127.0.0.1:9000;
                }
            """)
        .doesNotContain("ssl_preread");
  }

  @Test
  void aRouteWithoutHostnameBesideAnotherOnItsPortIsRefused() {
    RouteBinding whole = l4("mc", null, 443, 9000);

    assertThatThrownBy(() -> new NginxConfigRenderer(CONFIG, true).render(Set.of(APP, whole)))
        .isInstanceOf(RouteException.class)
        .hasMessageContaining("mc/db/tls has no hostname and takes listener port 443 whole");
    assertThatThrownBy(
            () ->
                new NginxConfigRenderer(CONFIG, true).render(Set.of(whole, l4("b", null, 443, 1))))
        .isInstanceOf(RouteException.class)
        .hasMessageContaining("takes listener port 443 whole");
  }

  @Test
  void aHostnameThatIsNotADnsNameIsRefused() {
    RouteBinding injected = l4("db", "db.example.com; include /etc/passwd", 5433, 5432);

    assertThatThrownBy(() -> new NginxConfigRenderer(CONFIG, true).render(Set.of(injected)))
        .isInstanceOf(RouteException.class)
        .hasMessageContaining("db/db/tls: hostname")
        .hasMessageContaining("is not a DNS name");
  }

  @Test
  void aCertificatePathNginxWouldExpandIsRefused() {
    RouteBinding dollar = l7("shop", "app.example.com", 443, 8080, "/certs/$host", "aa11");

    assertThatThrownBy(() -> new NginxConfigRenderer(CONFIG, true).render(Set.of(dollar)))
        .isInstanceOf(RouteException.class)
        .hasMessageContaining("/certs/$host/fullchain.pem")
        .hasMessageContaining("holds '$'");
  }

  @Test
  void aRouteOnTheAcmeChallengePortIsRefused() {
    NginxConfig withAcme =
        CONFIG.toBuilder()
            .acmeChallenge(new NginxConfig.AcmeChallenge(443, Path.of("/srv/berth/acme")))
            .build();

    assertThatThrownBy(() -> new NginxConfigRenderer(withAcme, true).render(Set.of(APP)))
        .isInstanceOf(RouteException.class)
        .hasMessageContaining("listener port 443 is the ACME challenge server's port");
  }

  @Test
  void aSharedPortIsOwnedByTheStreamServerWithTheHttpServersBehindIt() {
    RouteBinding passthrough = l4("db", "db.example.com", 443, 5432);

    String text = new NginxConfigRenderer(CONFIG, true).render(Set.of(APP, passthrough));

    String sockets = "/srv/berth/nginx-run/sockets/";
    assertThat(text)
        .contains("listen \"unix:" + sockets + "l7-443.sock\" ssl proxy_protocol default_server;")
        .contains("listen \"unix:" + sockets + "l7-443.sock\" ssl proxy_protocol;")
        .doesNotContain("listen 127.0.0.1:443 ssl")
        .contains(
            """
                map $ssl_preread_server_name $berth_mux_443 {
                    hostnames;
                    default "unix:/srv/berth/nginx-run/sockets/l7-443.sock";
                    db.example.com "unix:/srv/berth/nginx-run/sockets/l4-443.sock";
                }
                server {
                    listen 127.0.0.1:443;
                    ssl_preread on;
                    proxy_protocol on;
                    proxy_pass $berth_mux_443;
                }
            """)
        .contains("db.example.com 127.0.0.1:5432;");
  }

  @Test
  void withoutL4RoutesThereIsNoStreamBlock() {
    String text = new NginxConfigRenderer(CONFIG, true).render(Set.of(APP));

    assertThat(text).doesNotContain("stream {").contains("listen 127.0.0.1:443 ssl;");
  }

  private static RouteBinding l7(
      String service, String hostname, int port, int backend, String certs, String fingerprint) {
    return new RouteBinding(
        service,
        "web",
        hostname.substring(0, hostname.indexOf('.')),
        RouteMode.L7,
        hostname,
        port,
        backend,
        new CertificateFiles(
            Path.of(certs, "fullchain.pem"), Path.of(certs, "key.pem"), fingerprint));
  }

  private static RouteBinding l4(String service, String hostname, int port, int backend) {
    return new RouteBinding(service, "db", "tls", RouteMode.L4, hostname, port, backend, null);
  }

  private static final String EXPECTED =
      """
      # Rendered by Berth from its route set: every change is overwritten.
      load_module "/usr/lib/nginx/modules/ngx_stream_module.so";
      pid "/srv/berth/nginx-run/nginx.pid";
      lock_file "/srv/berth/nginx-run/nginx.lock";
      error_log "/srv/berth/nginx-run/logs/error.log" notice;
      worker_processes auto;

      events {
          worker_connections 4096;
      }

      http {
          access_log off;
          server_tokens off;
          ssl_protocols TLSv1.2 TLSv1.3;
          client_body_temp_path "/srv/berth/nginx-run/temp/client_body";
          proxy_temp_path "/srv/berth/nginx-run/temp/proxy";
          fastcgi_temp_path "/srv/berth/nginx-run/temp/fastcgi";
          uwsgi_temp_path "/srv/berth/nginx-run/temp/uwsgi";
          scgi_temp_path "/srv/berth/nginx-run/temp/scgi";
          server_names_hash_bucket_size 128;
          map_hash_bucket_size 128;
          set_real_ip_from unix:;
          real_ip_header proxy_protocol;

          map $http_upgrade $berth_connection_upgrade {
              default upgrade;
              "" close;
          }

          # listener port 443: names it does not serve are refused
          server {
              listen 127.0.0.1:443 ssl default_server;
              ssl_reject_handshake on;
          }

          # shop/web/api certificate sha256 bb22
          server {
              listen 127.0.0.1:443 ssl;
              server_name api.example.com;
              ssl_certificate "/certs/api/fullchain.pem";
              ssl_certificate_key "/certs/api/key.pem";
              location / {
                  proxy_pass http://127.0.0.1:8081;
                  proxy_http_version 1.1;
                  proxy_set_header Host $host;
                  proxy_set_header X-Forwarded-For $remote_addr;
                  proxy_set_header X-Forwarded-Proto https;
                  proxy_set_header Upgrade $http_upgrade;
                  proxy_set_header Connection $berth_connection_upgrade;
              }
          }

          # shop/web/app certificate sha256 aa11
          server {
              listen 127.0.0.1:443 ssl;
              server_name app.example.com;
              ssl_certificate "/certs/app/fullchain.pem";
              ssl_certificate_key "/certs/app/key.pem";
              location / {
                  proxy_pass http://127.0.0.1:8080;
                  proxy_http_version 1.1;
                  proxy_set_header Host $host;
                  proxy_set_header X-Forwarded-For $remote_addr;
                  proxy_set_header X-Forwarded-Proto https;
                  proxy_set_header Upgrade $http_upgrade;
                  proxy_set_header Connection $berth_connection_upgrade;
              }
          }
      }

      stream {
          map_hash_bucket_size 128;

          # names no route serves: closed without a byte
          server {
              listen "unix:/srv/berth/nginx-run/sockets/refuse.sock";
              return "";
          }

          # listener port 5433: TLS passthrough by SNI
          map $ssl_preread_server_name $berth_l4_5433 {
              hostnames;
              default "unix:/srv/berth/nginx-run/sockets/refuse.sock";
              # db/db/tls
              db.example.com 127.0.0.1:5432;
          }
          server {
              listen 127.0.0.1:5433;
              ssl_preread on;
              proxy_pass $berth_l4_5433;
          }
      }
      """;
}
