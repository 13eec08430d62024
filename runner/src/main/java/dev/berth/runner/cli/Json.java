package dev.berth.runner.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

/**
 * The {@code --json} output: the API's own messages in protobuf's JSON mapping, so scripts read the
 * same field names as the proto file documents.
 */
final class Json {

  private static final JsonFormat.Printer PRETTY = JsonFormat.printer();
  private static final JsonFormat.Printer ONE_LINE =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private Json() {}

  /** One document, indented: for answers. */
  static String document(MessageOrBuilder message) {
    return print(PRETTY, message);
  }

  /** One document on one line: for streams, one line per message (JSON Lines). */
  static String line(MessageOrBuilder message) {
    return print(ONE_LINE, message);
  }

  private static String print(JsonFormat.Printer printer, MessageOrBuilder message) {
    try {
      return printer.print(message);
    } catch (InvalidProtocolBufferException e) {
      // Only an Any of an unknown type fails to print, and the API has none.
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
    }
  }
}
