package dev.berth.kubernetes.plan;

import dev.berth.kubernetes.resource.BerthServiceStatus;
import dev.berth.kubernetes.resource.BerthServiceStatus.Condition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Conditions as Kubernetes keeps them: {@code lastTransitionTime} moves only on a flip. */
final class Conditions {

  static final String TRUE = "True";
  static final String FALSE = "False";

  private Conditions() {}

  /** A condition without its time yet ({@link #stamp} gives it one). */
  static Condition of(String type, boolean status, String reason, String message) {
    return new Condition(type, status ? TRUE : FALSE, reason, message, null);
  }

  /**
   * Each condition with the time it last flipped: the previous one's if its status is the same,
   * else {@code now} (in whole seconds, as RFC 3339 and the API server keep it).
   */
  static List<Condition> stamp(List<Condition> fresh, BerthServiceStatus previous, Instant now) {
    String at = now.truncatedTo(ChronoUnit.SECONDS).toString();
    List<Condition> stamped = new ArrayList<>(fresh.size());
    for (Condition condition : fresh) {
      Condition before = find(previous, condition.type());
      String time =
          before != null
                  && condition.status().equals(before.status())
                  && before.lastTransitionTime() != null
              ? before.lastTransitionTime()
              : at;
      stamped.add(
          new Condition(
              condition.type(), condition.status(), condition.reason(), condition.message(), time));
    }
    return stamped;
  }

  static Condition find(BerthServiceStatus status, String type) {
    if (status == null || status.conditions() == null) {
      return null;
    }
    for (Condition condition : status.conditions()) {
      if (condition != null && type.equals(condition.type())) {
        return condition;
      }
    }
    return null;
  }
}
