package dev.berth.spec.selector;

/**
 * A selector that breaks the syntax; its message quotes the requirement at fault and says the rule
 * ({@code "a==": a value must follow "=="}), without a field name: the caller prefixes its own
 * ({@code --selector}, {@code label_selector}).
 */
public final class InvalidSelectorException extends IllegalArgumentException {

  /** A selector that cannot be parsed, {@code message} saying where and why. */
  public InvalidSelectorException(String message) {
    super(message);
  }
}
