package dev.berth.runner.cli;

import dev.berth.store.file.LoadedService;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the agent's field paths into the files they came from: the agent names a service of an
 * ApplyRequest by its index ({@code services[1].components[0].image}) or by its name ({@code
 * services[web]}); the user wrote {@code web.toml}, so the message says {@code web.toml:
 * components[0].image}.
 */
final class ServicePaths implements UnaryOperator<String> {

  private static final Pattern SERVICE = Pattern.compile("services\\[([^\\]]+)\\](\\.)?");

  private final List<LoadedService> services;

  /**
   * @param services the services as they were sent, in the order of the request
   */
  ServicePaths(List<LoadedService> services) {
    this.services = List.copyOf(services);
  }

  @Override
  public String apply(String message) {
    Matcher m = SERVICE.matcher(message);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String file = fileOf(m.group(1));
      String replacement = file == null ? m.group() : file + (m.group(2) == null ? "" : ": ");
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String fileOf(String indexOrName) {
    if (indexOrName.chars().allMatch(Character::isDigit) && indexOrName.length() < 6) {
      int index = Integer.parseInt(indexOrName);
      return index < services.size() ? services.get(index).file() : null;
    }
    String name = indexOrName.replace("\"", "");
    return services.stream()
        .filter(s -> s.spec().name().equals(name))
        .map(LoadedService::file)
        .findFirst()
        .orElse(null);
  }
}
