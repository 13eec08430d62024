package dev.berth.runner.config;

import dev.berth.spec.validation.Rules;
import dev.berth.store.file.BoundedText;
import dev.berth.store.toml.Table;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks the files the configuration names, so that a typo in a path is reported with the other
 * mistakes at start rather than when the first client connects or the first certificate is due.
 */
final class FileChecks {

  /** Certificates, keys and tokens are a few kilobytes; this only stops a wrong file early. */
  static final long MAX_BYTES = 1024 * 1024;

  private FileChecks() {}

  /** The file's text if it is a readable regular file; null after reporting why not. */
  static String readable(Table table, String key, Path file) {
    String shown = Rules.quote(file.toString());
    if (!Files.exists(file)) {
      table.report(key, "must name an existing file, was " + shown + " (no such file)");
      return null;
    }
    try {
      return BoundedText.read(file, MAX_BYTES, "a certificate, key or token file");
    } catch (BoundedText.RefusedException e) {
      table.report(
          key,
          "must name a regular file of at most "
              + MAX_BYTES
              + " bytes, was "
              + shown
              + " (it "
              + e.getMessage()
              + ")");
      return null;
    } catch (AccessDeniedException e) {
      table.report(key, "must name a readable file, was " + shown + " (permission denied)");
      return null;
    } catch (IOException e) {
      table.report(key, "must name a readable text file, was " + shown + " (" + e + ")");
      return null;
    }
  }

  /** A PEM file holding at least one certificate. */
  static void certificates(Table table, String key, Path file) {
    String text = readable(table, key, file);
    if (text != null && !text.contains("-----BEGIN CERTIFICATE-----")) {
      table.report(
          key,
          "must name a PEM file of certificates (-----BEGIN CERTIFICATE-----), was "
              + Rules.quote(file.toString()));
    }
  }

  /**
   * A PEM file holding an unencrypted PKCS#8 private key, the one form the TLS stack reads without
   * extra providers.
   */
  static void privateKey(Table table, String key, Path file) {
    String text = readable(table, key, file);
    if (text == null || text.contains("-----BEGIN PRIVATE KEY-----")) {
      return;
    }
    String shown = Rules.quote(file.toString());
    if (text.contains("-----BEGIN RSA PRIVATE KEY-----")
        || text.contains("-----BEGIN EC PRIVATE KEY-----")) {
      table.report(
          key,
          "must be a PKCS#8 key (-----BEGIN PRIVATE KEY-----), was "
              + shown
              + " in the older PKCS#1/SEC1 form; convert it with: openssl pkcs8 -topk8 -nocrypt"
              + " -in OLD -out NEW");
    } else {
      table.report(
          key,
          "must name an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----), was " + shown);
    }
  }
}
