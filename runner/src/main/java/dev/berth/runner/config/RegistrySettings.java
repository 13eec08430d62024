package dev.berth.runner.config;

import dev.berth.store.registry.RegistryConfig;

/**
 * The registry's settings ({@code [registry]}).
 *
 * @param historyLimit how many declared specs of each service are kept for {@code berth history}
 *     and {@code berth rollback}
 */
public record RegistrySettings(int historyLimit) {

  /** See {@link RegistryConfig#DEFAULT_HISTORY_PER_SERVICE}. */
  public static final int DEFAULT_HISTORY_LIMIT = RegistryConfig.DEFAULT_HISTORY_PER_SERVICE;

  /** See {@link RegistryConfig#MAX_HISTORY_PER_SERVICE}. */
  public static final int MAX_HISTORY_LIMIT = RegistryConfig.MAX_HISTORY_PER_SERVICE;

  public static final RegistrySettings DEFAULTS = new RegistrySettings(DEFAULT_HISTORY_LIMIT);
}
