package dev.berth.spec.selector;

import dev.berth.spec.validation.Rules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A label selector in kubectl's syntax: requirements separated by commas, all of which must hold.
 *
 * <ul>
 *   <li>{@code key=value} (or {@code key==value}): the label is there with that value
 *   <li>{@code key!=value}: the label is absent or has another value
 *   <li>{@code key in (a,b)}: the label is there with one of the values
 *   <li>{@code key notin (a,b)}: the label is absent or has none of the values
 *   <li>{@code key}: the label is there; {@code !key}: it is not
 * </ul>
 *
 * <p>Keys and values follow the rules of service labels ({@link Rules#serviceLabelKey}, {@link
 * Rules#serviceLabelValue}), so that a selector that could never match for a typing error is an
 * error, not an empty answer. The empty selector selects everything.
 *
 * @param requirements all must hold; none selects everything
 */
public record LabelSelector(List<Requirement> requirements) {

  /** The selector that selects everything. */
  public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  private static final Pattern SET =
      Pattern.compile("(?<key>[^\\s(),!=]+)\\s+(?<op>in|notin)\\s*\\((?<values>[^()]*)\\)");

  /** Copies the requirements. */
  public LabelSelector {
    requirements = List.copyOf(requirements);
  }

  /** What a requirement asks of one label. */
  public enum Operator {
    /** {@code key=value} (or {@code key==value}): the label is there with this value. */
    EQUALS("="),
    /** {@code key!=value}: the label is absent or has another value. */
    NOT_EQUALS("!="),
    /** {@code key in (a,b)}: the label is there with one of the values. */
    IN("in"),
    /** {@code key notin (a,b)}: the label is absent or has none of the values. */
    NOT_IN("notin"),
    /** {@code key}: the label is there, with any value. */
    EXISTS(""),
    /** {@code !key}: the label is absent. */
    DOES_NOT_EXIST("!");

    private final String written;

    Operator(String written) {
      this.written = written;
    }
  }

  /**
   * One requirement on one label.
   *
   * @param values one for (not) equals, one or more for (not) in, none for (does not) exist
   */
  public record Requirement(String key, Operator operator, List<String> values) {

    /** Copies the values. */
    public Requirement {
      values = List.copyOf(values);
    }

    /** Whether this requirement holds for {@code labels}. */
    public boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case EQUALS, IN -> value != null && values.contains(value);
        case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
        case EXISTS -> value != null;
        case DOES_NOT_EXIST -> value == null;
      };
    }

    @Override
    public String toString() {
      return switch (operator) {
        case EQUALS, NOT_EQUALS -> key + operator.written + values.get(0);
        case IN, NOT_IN -> key + " " + operator.written + " (" + String.join(",", values) + ")";
        case EXISTS -> key;
        case DOES_NOT_EXIST -> "!" + key;
      };
    }
  }

  /**
   * Parses {@code text}; blank selects everything.
   *
   * @throws InvalidSelectorException naming the requirement at fault and the rule it breaks
   */
  public static LabelSelector parse(String text) {
    if (text == null || text.isBlank()) {
      return EVERYTHING;
    }
    List<Requirement> requirements = new ArrayList<>();
    for (String part : topLevelParts(text)) {
      requirements.add(requirement(part.strip()));
    }
    return new LabelSelector(requirements);
  }

  /** Whether every requirement holds for {@code labels}. */
  public boolean matches(Map<String, String> labels) {
    for (Requirement requirement : requirements) {
      if (!requirement.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /** Whether it has no requirement, and so selects every service. */
  public boolean selectsEverything() {
    return requirements.isEmpty();
  }

  /** The selector as it would be written again, requirements in their order. */
  @Override
  public String toString() {
    return String.join(",", requirements.stream().map(Requirement::toString).toList());
  }

  /** The text split at the commas outside parentheses (those inside separate a set's values). */
  private static List<String> topLevelParts(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }

  private static Requirement requirement(String part) {
    if (part.isEmpty()) {
      throw invalid(part, "is empty: requirements are separated by single commas");
    }
    if (part.startsWith("!")) {
      String key = part.substring(1).strip();
      checkKey(part, key);
      return new Requirement(key, Operator.DOES_NOT_EXIST, List.of());
    }
    Matcher set = SET.matcher(part);
    if (set.matches()) {
      String key = set.group("key");
      checkKey(part, key);
      List<String> values = new ArrayList<>();
      for (String value : set.group("values").split(",", -1)) {
        values.add(checkValue(part, value.strip(), set.group("op")));
      }
      return new Requirement(
          key, set.group("op").equals("in") ? Operator.IN : Operator.NOT_IN, values);
    }
    if (part.contains("(") || part.contains(")")) {
      throw invalid(part, "a set of values is written KEY in (A,B) or KEY notin (A,B)");
    }
    int equals = part.indexOf('=');
    if (equals < 0) {
      if (part.contains("!")) {
        throw invalid(part, "'!' goes before a key (!KEY) or before '=' (KEY!=VALUE)");
      }
      checkKey(part, part);
      return new Requirement(part, Operator.EXISTS, List.of());
    }
    boolean not = equals > 0 && part.charAt(equals - 1) == '!';
    boolean doubled = !not && equals + 1 < part.length() && part.charAt(equals + 1) == '=';
    String operator = not ? "!=" : doubled ? "==" : "=";
    String key = part.substring(0, not ? equals - 1 : equals).strip();
    String value = part.substring(equals + (doubled ? 2 : 1)).strip();
    checkKey(part, key);
    checkValue(part, value, operator);
    return new Requirement(key, not ? Operator.NOT_EQUALS : Operator.EQUALS, List.of(value));
  }

  private static void checkKey(String part, String key) {
    if (key.isEmpty()) {
      throw invalid(part, "a label key is missing");
    }
    String broken = Rules.serviceLabelKey(key);
    if (broken != null) {
      throw invalid(part, broken);
    }
  }

  private static String checkValue(String part, String value, String operator) {
    if (value.isEmpty()) {
      throw invalid(
          part,
          operator.startsWith("(") || operator.endsWith("in")
              ? "a value is missing between the parentheses' commas"
              : "a value must follow \"" + operator + "\" (use KEY to select by the key alone)");
    }
    String broken = Rules.serviceLabelValue(value);
    if (broken != null) {
      throw invalid(part, broken);
    }
    return value;
  }

  private static InvalidSelectorException invalid(String part, String rule) {
    return new InvalidSelectorException(Rules.quote(part) + ": " + rule);
  }
}
