package dev.berth.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Http01ResponderTest {

  private static final String TOKEN = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";
  private static final String ANSWER = TOKEN + ".9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";

  @TempDir Path temp;

  @Test
  void theDirectoryResponderWritesAWorldReadableFileNamedByTheTokenAndRemovesIt() throws Exception {
    DirectoryResponder responder = new DirectoryResponder(temp.resolve("acme-challenge"));

    responder.publish(TOKEN, ANSWER);

    Path file = temp.resolve("acme-challenge").resolve(TOKEN);
    assertThat(Files.readString(file)).isEqualTo(ANSWER);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-r--r--");
    responder.withdraw(TOKEN);
    assertThat(file).doesNotExist();
  }

  @Test
  void aTokenThatIsNotBase64UrlIsRefusedAsAFileName() {
    DirectoryResponder responder = new DirectoryResponder(temp.resolve("acme-challenge"));

    assertThatThrownBy(() -> responder.publish("../../etc/passwd", ANSWER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not base64url");
    assertThat(temp.resolve("acme-challenge")).doesNotExist();
  }

  @Test
  void theEmbeddedServerServesAPublishedTokenUntilItIsWithdrawn() throws Exception {
    try (EmbeddedHttp01Server server =
        EmbeddedHttp01Server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      URI uri =
          URI.create(
              "http://127.0.0.1:"
                  + server.address().getPort()
                  + Http01Responder.PATH_PREFIX
                  + TOKEN);
      HttpClient client = HttpClient.newHttpClient();

      server.publish(TOKEN, ANSWER);
      HttpResponse<String> published =
          client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      server.withdraw(TOKEN);
      HttpResponse<String> withdrawn =
          client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(published.statusCode()).isEqualTo(200);
      assertThat(published.body()).isEqualTo(ANSWER);
      assertThat(withdrawn.statusCode()).isEqualTo(404);
    }
  }
}
