package dev.berth.store.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.model.Wire;
import dev.berth.spec.validation.DefaultDomain;
import dev.berth.spec.validation.InvalidSpecException;
import dev.berth.spec.validation.RouteClaims;
import dev.berth.spec.validation.SpecValidator;
import dev.berth.spec.validation.Violation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The declared services: apply, read, stop and start, delete. Every change bumps the service's
 * generation; writes may carry the generation the caller last read, and a stale one fails with a
 * {@link ConflictException} (no lost updates).
 *
 * <p>Reads are served from memory: a copy of every declared service, loaded when the registry opens
 * and updated by each write right after its transaction commits, before the write returns. So a
 * read never costs a transaction and is never older than the last write that returned. Writes run
 * one at a time (the database's commit dominates their cost anyway).
 *
 * <p>Each change of a service's spec also makes an entry of its history ({@link #history}), in the
 * same transaction, and an earlier entry can be declared again ({@link #rollback}).
 *
 * <p>Subscribers ({@link #subscribe}) hear which services each committed write changed: that is how
 * a node's loops learn of a declaration, whoever wrote it.
 */
public final class ServiceStore {

  /**
   * Names bound in one array by {@link #lockForApply}. H2 allows 65 536, but it evaluates {@code
   * name = ANY(?)} by comparing each row of the statement's range with every element of the array,
   * so a chunk costs its size squared: with 16 384 names a re-apply of 65 537 services took 35 s,
   * with 1 000 about 2 s.
   */
  private static final int LOCK_CHUNK = 1_000;

  private final Database database;
  private final SpecValidator validator;
  private final Clock clock;
  private final RegistryCache cache;
  private final int historyPerService;

  /** Told, after each commit that changed what is declared, which services it changed. */
  private final Subscribers<List<String>> subscribers = new Subscribers<>();

  ServiceStore(
      Database database,
      SpecValidator validator,
      Clock clock,
      RegistryCache cache,
      int historyPerService) {
    this.database = database;
    this.validator = validator;
    this.clock = clock;
    this.cache = cache;
    this.historyPerService = historyPerService;
    cache.writeDeclared(
        false,
        () -> {
          cache.publishServices(readAllFromDatabase(), List.of());
          return null;
        });
  }

  /**
   * Declares a set of services, all or nothing. Validation runs first and a single violation
   * rejects the whole set ({@link InvalidSpecException}), as does a stale expected generation
   * ({@link ConflictException}); either way nothing is written.
   */
  public ApplyResult apply(ApplyRequest validated) {
    validator.check(validated.services());
    // Stored as served: an l7 route without a hostname keeps the one the agent's domain gives it.
    DefaultDomain domain = validator.policy().defaultDomain();
    ApplyRequest request =
        validated.withServices(validated.services().stream().map(domain::resolve).toList());
    if (request.dryRun()) {
      return database.rehearsal(
          connection -> applyIn(connection, request, Origin.of(request)).result());
    }
    return write(request.prune(), connection -> applyIn(connection, request, Origin.of(request)));
  }

  /** Commits an apply, publishes what it wrote, and tells the subscribers. */
  private ApplyResult write(boolean mayRemove, Sql.Work<Applied> apply) {
    ApplyResult result =
        cache.writeDeclared(
            mayRemove,
            () -> {
              Applied applied = database.durableTransaction(apply);
              cache.publishServices(applied.written(), applied.pruned());
              return applied.result();
            });
    tellSubscribers(
        result.changes().stream()
            .filter(change -> change.kind() != ChangeKind.UNCHANGED)
            .map(ServiceChange::service)
            .toList());
    return result;
  }

  /**
   * The service's last declared specs (at most {@link RegistryConfig#historyPerService()}), oldest
   * first, each with what changed from the one before. Every change of the spec made one, by apply
   * or rollback; a stop or start (the desired state alone) makes none. The newest entry is the spec
   * declared now.
   *
   * @throws NotFoundException if no such service is declared
   */
  public List<HistoryEntry> history(String service) {
    if (cache.service(service).isEmpty()) {
      throw new NotFoundException("no service named " + service);
    }
    return database.read(connection -> ServiceHistory.read(connection, service, historyPerService));
  }

  /** How many entries each service's history keeps ({@link RegistryConfig#historyPerService}). */
  public int historyLimit() {
    return historyPerService;
  }

  /**
   * The newest entry of the service's history that became healthy: the last spec it converged
   * running. Empty if none kept did (or the service is not declared).
   */
  public Optional<HistoryEntry> lastHealthy(String service) {
    if (cache.service(service).isEmpty()) {
      return Optional.empty();
    }
    List<HistoryEntry> entries =
        database.read(connection -> ServiceHistory.read(connection, service, historyPerService));
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (entries.get(i).healthy()) {
        return Optional.of(entries.get(i));
      }
    }
    return Optional.empty();
  }

  /**
   * Declares an earlier spec of a service again, from its history, as a new generation (as {@code
   * kubectl rollout undo}): the spec of {@code toGeneration} with the desired state the service has
   * now (a rollback neither starts nor stops it). The service keeps its source; the history entry
   * records {@code by} and the generation rolled back to. If the spec declared now is already that
   * one, nothing changes ({@link ChangeKind#UNCHANGED}).
   *
   * <p>The spec is checked as an apply's is (validation, route claims), for the rules may have
   * changed since it was declared.
   *
   * @param toGeneration the history entry to declare again; 0 for the one before the newest
   * @param expectedGeneration the generation last read, or null to roll back whatever is current
   * @param by who asks, for the history ({@code api}, {@code auto-revert}); 1..1024 characters
   * @return the change, as an apply's: updated at a new generation, with the diff from what was
   *     declared
   * @throws NotFoundException if the service is not declared, or its history does not keep that
   *     generation (the message lists those it keeps)
   * @throws ConflictException if it is not at {@code expectedGeneration}, or a route of that spec
   *     is claimed by another service now
   */
  public ApplyResult rollback(
      String service, long toGeneration, Long expectedGeneration, String by) {
    if (by == null || by.isBlank() || by.length() > 1024) {
      throw new IllegalArgumentException("by must be 1..1024 characters");
    }
    return write(
        false,
        connection -> {
          StoredService current = lock(connection, service, expectedGeneration);
          HistoryEntry entry = entryToRollBackTo(connection, service, toGeneration);
          ServiceSpec spec = entry.spec().withDesiredState(current.spec().desiredState());
          validator.check(List.of(spec));
          ApplyRequest request =
              ApplyRequest.of(
                      current.source(), List.of(validator.policy().defaultDomain().resolve(spec)))
                  .expecting(service, current.generation());
          return applyIn(connection, request, new Origin(by, entry.generation()));
        });
  }

  private HistoryEntry entryToRollBackTo(Connection connection, String service, long generation)
      throws SQLException {
    List<HistoryEntry> kept = ServiceHistory.read(connection, service, historyPerService);
    if (generation == 0) {
      if (kept.size() < 2) {
        throw new NotFoundException(
            "service "
                + service
                + " has no earlier generation in its history to roll back to (it keeps "
                + keptList(kept)
                + ")");
      }
      return kept.get(kept.size() - 2);
    }
    return kept.stream()
        .filter(entry -> entry.generation() == generation)
        .findFirst()
        .orElseThrow(
            () ->
                new NotFoundException(
                    "service "
                        + service
                        + " has no generation "
                        + generation
                        + " in its history (it keeps "
                        + keptList(kept)
                        + ")"));
  }

  private String keptList(List<HistoryEntry> kept) {
    return (kept.size() == 1 ? "generation " : "generations ")
        + kept.stream().map(e -> String.valueOf(e.generation())).collect(Collectors.joining(", "))
        + "; at most "
        + historyPerService
        + " are kept";
  }

  /**
   * Who declares, for the history: an apply's source, or who asked for a rollback and to which
   * generation.
   */
  private record Origin(String source, long rollbackOf) {
    static Origin of(ApplyRequest request) {
      return new Origin(request.source(), 0);
    }
  }

  /** The service declared as {@code name}, if any; read from memory. */
  public Optional<StoredService> get(String name) {
    return cache.service(name);
  }

  /** Every declared service, by name; a consistent set (never half of an apply). */
  public List<StoredService> list() {
    return cache.services();
  }

  /** Every declared service's name, in order. */
  public List<String> names() {
    return cache.names();
  }

  /**
   * Sets what a service should be doing (stop, start), bumping its generation.
   *
   * @param expectedGeneration the generation last read, or null to write whatever is current
   */
  public StoredService setDesiredState(String name, DesiredState state, Long expectedGeneration) {
    StateSet set =
        cache.writeDeclared(
            false,
            () -> {
              StateSet written =
                  database.durableTransaction(
                      connection -> {
                        StoredService current = lock(connection, name, expectedGeneration);
                        if (current.spec().desiredState() == state) {
                          return new StateSet(current, false);
                        }
                        long generation = current.generation() + 1;
                        // At the column's precision: what memory holds is what the database holds.
                        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
                        Sql.update(
                            connection,
                            "UPDATE services SET desired_state = ?, generation = ?, updated_at = ?"
                                + " WHERE name = ?",
                            state.wire(),
                            generation,
                            now,
                            name);
                        return new StateSet(
                            new StoredService(
                                current.spec().withDesiredState(state),
                                generation,
                                current.source(),
                                current.createdAt(),
                                now),
                            true);
                      });
              if (written.changed()) {
                cache.publishServices(List.of(written.service()), List.of());
              }
              return written;
            });
    if (set.changed()) {
      tellSubscribers(List.of(name));
    }
    return set.service();
  }

  /** What {@link #setDesiredState} found: the service as now stored, and whether it wrote. */
  private record StateSet(StoredService service, boolean changed) {}

  /**
   * Removes a service and everything the registry holds for it (routes, port allocations, status,
   * events). What runs on the node is the reconcilers' to remove.
   *
   * @return false if there was no such service
   */
  public boolean delete(String name, Long expectedGeneration) {
    boolean deleted =
        cache.writeDeclared(
            true,
            () -> {
              boolean removed =
                  database.durableTransaction(
                      connection -> {
                        try {
                          lock(connection, name, expectedGeneration);
                        } catch (NotFoundException e) {
                          return false;
                        }
                        return Sql.update(connection, "DELETE FROM services WHERE name = ?", name)
                            == 1;
                      });
              if (removed) {
                cache.publishServices(List.of(), List.of(name));
              }
              return removed;
            });
    if (deleted) {
      tellSubscribers(List.of(name));
    }
    return deleted;
  }

  /**
   * Calls {@code subscriber} after each write that changed what is declared (an apply, its prune, a
   * stop or start, a delete) with the names of the services it created, changed or removed, in
   * order; from the writing thread, once the write is committed and readable here, and before it
   * returns. A write that changed nothing, failed or was a dry run calls nobody.
   *
   * <p>Nothing is lost between a write and a subscription: a subscriber that first subscribes and
   * then lists {@link #names()} sees every write either in the list or in a call, for a write is
   * readable here before anyone is told of it. Calls from concurrent writers may come in another
   * order than their commits; each call names its services, so a subscriber that reads them again
   * (as a loop does) needs no order. A subscriber must be quick (enqueue, never reconcile, on the
   * writer's thread) and must not throw: what it throws is swallowed.
   */
  public AutoCloseable subscribe(Consumer<List<String>> subscriber) {
    return subscribers.add(subscriber);
  }

  /** Outside the registry's locks, as events are: a slow subscriber must not hold up writers. */
  private void tellSubscribers(List<String> changed) {
    if (!changed.isEmpty()) {
      subscribers.publish(changed);
    }
  }

  /** What the database holds, bypassing the copy in memory: for loading it, and for checks. */
  List<StoredService> readAllFromDatabase() {
    return database.read(connection -> read(connection, ""));
  }

  /**
   * What an apply committed: its result, the services it created or changed as now stored, and the
   * ones it pruned.
   */
  private record Applied(ApplyResult result, List<StoredService> written, Set<String> pruned) {}

  // ---- apply ----

  private Applied applyIn(Connection connection, ApplyRequest request, Origin origin)
      throws SQLException {
    List<ServiceSpec> specs =
        request.services().stream().sorted(Comparator.comparing(ServiceSpec::name)).toList();
    Set<String> names = specs.stream().map(ServiceSpec::name).collect(Collectors.toSet());
    Map<String, StoredService> current = lockForApply(connection, names, request);
    checkExpectedGenerations(request, current);
    checkSources(request, specs, current);
    Set<String> pruned = new TreeSet<>();
    if (request.prune()) {
      current.values().stream()
          .filter(s -> s.source().equals(request.source()) && !names.contains(s.name()))
          .forEach(s -> pruned.add(s.name()));
    }
    checkRouteClaims(connection, specs, pruned);

    // Removals first, so that a route given up by one service (pruned, or changed in this same
    // apply) is free for another service of the set, whatever their names' order.
    for (String name : pruned) {
      Sql.update(connection, "DELETE FROM services WHERE name = ?", name);
    }
    for (ServiceSpec spec : specs) {
      StoredService before = current.get(spec.name());
      if (before != null && !before.spec().components().equals(spec.components())) {
        Sql.update(connection, "DELETE FROM components WHERE service = ?", spec.name());
      }
    }
    // At the column's precision, so that what memory holds is what the database holds.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    List<ServiceChange> changes = new ArrayList<>();
    List<StoredService> written = new ArrayList<>();
    List<ServiceHistory.NewEntry> versions = new ArrayList<>();
    List<String> grown = new ArrayList<>();
    for (ServiceSpec spec : specs) {
      StoredService before = current.get(spec.name());
      ServiceChange change =
          before == null
              ? create(connection, spec, request.source(), now)
              : update(connection, before, spec, request.source(), now);
      changes.add(change);
      if (change.kind() != ChangeKind.UNCHANGED) {
        StoredService stored =
            new StoredService(
                asStored(spec, before),
                change.generation(),
                request.source(),
                before == null ? now : before.createdAt(),
                now);
        written.add(stored);
        if (before == null || !ServiceHistory.sameVersion(before.spec(), spec)) {
          versions.add(
              new ServiceHistory.NewEntry(
                  stored.spec(), stored.generation(), now, origin.source(), origin.rollbackOf()));
          if (before != null) {
            grown.add(spec.name());
          }
        }
      }
    }
    // In this transaction: the history holds exactly the declarations that were acknowledged.
    ServiceHistory.write(connection, versions);
    ServiceHistory.prune(connection, grown, historyPerService);
    pruned.forEach(
        name -> changes.add(new ServiceChange(name, ChangeKind.PRUNED, 0, null, List.of())));
    changes.sort(Comparator.comparing(ServiceChange::service));
    return new Applied(new ApplyResult(changes, request.dryRun()), written, pruned);
  }

  /**
   * The spec as a read of the database would return it: components go through their stored JSON
   * (unless they are unchanged, and so as read already).
   */
  private static ServiceSpec asStored(ServiceSpec spec, StoredService before) {
    List<ComponentSpec> components =
        before != null && before.spec().components().equals(spec.components())
            ? before.spec().components()
            : spec.components().stream()
                .map(component -> SpecJson.readComponent(SpecJson.write(component)))
                .toList();
    return new ServiceSpec(
        spec.name(),
        spec.node(),
        spec.desiredState(),
        spec.comment(),
        components,
        SpecJson.readLabels(SpecJson.writeLabels(spec.labels())));
  }

  /**
   * Locks, in name order, every row the apply may change: the services it names and, when pruning,
   * every service of its source. One order for every writer means two applies over overlapping sets
   * wait for each other instead of deadlocking.
   *
   * <p>H2 binds at most 65 536 elements in one array, so the names go in chunks of {@value
   * #LOCK_CHUNK}. Each chunk's statement covers one range of names, from its first name up to the
   * next chunk's first (the first and last ranges open-ended), so that the ranges split the table:
   * every service of the source falls in exactly one, and the rows are locked in name order across
   * statements as they are within one.
   */
  private Map<String, StoredService> lockForApply(
      Connection connection, Set<String> names, ApplyRequest request) throws SQLException {
    List<String> ordered = new ArrayList<>(new TreeSet<>(names));
    Map<String, StoredService> current = new LinkedHashMap<>();
    int from = 0;
    do {
      int to = Math.min(ordered.size(), from + LOCK_CHUNK);
      StringBuilder where = new StringBuilder("WHERE (s.name = ANY(?)");
      List<Object> parameters = new ArrayList<>();
      parameters.add(ordered.subList(from, to).toArray(new String[0]));
      if (request.prune()) {
        where.append(" OR s.source = ?");
        parameters.add(request.source());
      }
      where.append(')');
      if (from > 0) {
        where.append(" AND s.name >= ?");
        parameters.add(ordered.get(from));
      }
      if (to < ordered.size()) {
        where.append(" AND s.name < ?");
        parameters.add(ordered.get(to));
      }
      lockAndRead(connection, where.toString(), parameters.toArray(), current);
      from = to;
    } while (from < ordered.size());
    return current;
  }

  private static void lockAndRead(
      Connection connection, String where, Object[] parameters, Map<String, StoredService> into)
      throws SQLException {
    // H2 locks rows of a FOR UPDATE query without joins; lock first, then read the specs.
    try (var statement =
            Sql.prepare(
                connection,
                "SELECT name FROM services s " + where + " ORDER BY name FOR UPDATE",
                parameters);
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        // Locked; the specs are read below.
      }
    }
    for (StoredService service : read(connection, where, parameters)) {
      into.put(service.name(), service);
    }
  }

  private static void checkExpectedGenerations(
      ApplyRequest request, Map<String, StoredService> current) {
    List<String> stale = new ArrayList<>();
    for (var expected : new java.util.TreeMap<>(request.expectedGenerations()).entrySet()) {
      StoredService found = current.get(expected.getKey());
      long actual = found == null ? 0 : found.generation();
      if (actual != expected.getValue()) {
        stale.add(
            "service "
                + expected.getKey()
                + ": expected generation "
                + expected.getValue()
                + ", found "
                + (found == null ? "none (it does not exist)" : actual));
      }
    }
    if (!stale.isEmpty()) {
      throw new ConflictException(String.join("; ", stale) + "; read again and retry");
    }
  }

  /**
   * A service stays with the source that declared it unless the apply takes it over: two files (or
   * a file and a tool) that declare the same name would otherwise move it back and forth, each
   * apply silently undoing the other's.
   */
  private static void checkSources(
      ApplyRequest request, List<ServiceSpec> specs, Map<String, StoredService> current) {
    if (request.takeOver()) {
      return;
    }
    List<Violation> owned = new ArrayList<>();
    for (ServiceSpec spec : specs) {
      StoredService before = current.get(spec.name());
      if (before != null && !before.source().equals(request.source())) {
        owned.add(
            new Violation(
                "services[" + spec.name() + "]",
                "is declared by another source, \""
                    + before.source()
                    + "\" (this apply's is \""
                    + request.source()
                    + "\"); take it over explicitly to move it (take_over, berth apply"
                    + " --take-over)"));
      }
    }
    if (!owned.isEmpty()) {
      throw new ConflictException(owned);
    }
  }

  /**
   * Routes may not claim a listener port and hostname another service already claims, nor a whole
   * port that another service uses (see {@link RouteClaims}).
   */
  private static void checkRouteClaims(
      Connection connection, List<ServiceSpec> specs, Set<String> pruned) throws SQLException {
    RouteClaims claimedElsewhere = new RouteClaims();
    Set<String> applied = specs.stream().map(ServiceSpec::name).collect(Collectors.toSet());
    try (var statement =
            Sql.prepare(
                connection,
                "SELECT service, component, name, listener_port, hostname FROM routes");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        String service = rows.getString("service");
        if (!applied.contains(service) && !pruned.contains(service)) {
          claimedElsewhere.claim(
              new RouteClaims.Claim(
                  rows.getInt("listener_port"), fromColumn(rows.getString("hostname"))),
              "service "
                  + service
                  + " (component "
                  + rows.getString("component")
                  + ", route "
                  + rows.getString("name")
                  + ")");
        }
      }
    }
    if (claimedElsewhere.isEmpty()) {
      return;
    }
    List<Violation> violations = new ArrayList<>();
    for (ServiceSpec spec : specs) {
      for (int i = 0; i < spec.components().size(); i++) {
        List<RouteSpec> routes = spec.components().get(i).routes();
        for (int j = 0; j < routes.size(); j++) {
          // Hostnames are resolved by now (DefaultHostnames), so no domain is needed.
          var claim = RouteClaims.Claim.of(spec.name(), routes.get(j), DefaultDomain.NONE);
          RouteClaims.Conflict conflict = claimedElsewhere.conflict(claim);
          if (conflict != null) {
            String path = "services[" + spec.name() + "].components[" + i + "].routes[" + j + "]";
            violations.add(
                new Violation(
                    conflict.path(claim, path), conflict.message(claim, "is claimed by")));
          }
        }
      }
    }
    if (!violations.isEmpty()) {
      // A conflict, not invalid input: the same spec is valid once the other service lets go.
      throw new ConflictException(violations);
    }
  }

  /**
   * A route without a hostname is kept as {@code ''} in its NOT NULL column: the unique constraint
   * on (listener_port, hostname) then refuses a second one on the port, as it should.
   */
  private static String toColumn(String hostname) {
    return hostname == null ? "" : hostname;
  }

  private static String fromColumn(String hostname) {
    return hostname.isEmpty() ? null : hostname;
  }

  private ServiceChange create(Connection connection, ServiceSpec spec, String source, Instant now)
      throws SQLException {
    Sql.update(
        connection,
        "INSERT INTO services (name, generation, source, desired_state, node, comment, created_at,"
            + " updated_at, labels) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?)",
        spec.name(),
        source,
        spec.desiredState().wire(),
        spec.node(),
        spec.comment(),
        now,
        now,
        SpecJson.writeLabels(spec.labels()));
    writeComponents(connection, spec);
    return new ServiceChange(
        spec.name(), ChangeKind.CREATED, 1, null, SpecDiff.between(null, SpecJson.toJson(spec)));
  }

  private ServiceChange update(
      Connection connection, StoredService before, ServiceSpec spec, String source, Instant now)
      throws SQLException {
    boolean sameSource = before.source().equals(source);
    if (before.spec().equals(spec) && sameSource) {
      return new ServiceChange(
          spec.name(), ChangeKind.UNCHANGED, before.generation(), null, List.of());
    }
    long generation = before.generation() + 1;
    int updated =
        Sql.update(
            connection,
            "UPDATE services SET generation = ?, source = ?, desired_state = ?, node = ?,"
                + " comment = ?, updated_at = ?, labels = ? WHERE name = ? AND generation = ?",
            generation,
            source,
            spec.desiredState().wire(),
            spec.node(),
            spec.comment(),
            now,
            SpecJson.writeLabels(spec.labels()),
            spec.name(),
            before.generation());
    if (updated != 1) {
      throw new ConflictException(
          "service " + spec.name() + " changed while it was being applied; read again and retry");
    }
    if (!before.spec().components().equals(spec.components())) {
      writeComponents(connection, spec); // the old ones were deleted before any write
    }
    ObjectNode beforeJson = SpecJson.toJson(before.spec());
    ObjectNode afterJson = SpecJson.toJson(spec);
    beforeJson.put("source", before.source());
    afterJson.put("source", source);
    return new ServiceChange(
        spec.name(),
        ChangeKind.UPDATED,
        generation,
        sameSource ? null : before.source(),
        SpecDiff.between(beforeJson, afterJson));
  }

  /** The widest a stored component may be (the column's size). */
  static final int MAX_COMPONENT_JSON = 1_000_000;

  private static void writeComponents(Connection connection, ServiceSpec spec) throws SQLException {
    try (PreparedStatement components =
            connection.prepareStatement(
                "INSERT INTO components (service, name, position, runtime, spec)"
                    + " VALUES (?, ?, ?, ?, ?)");
        PreparedStatement routes =
            connection.prepareStatement(
                "INSERT INTO routes (service, component, name, listener_port, hostname, mode)"
                    + " VALUES (?, ?, ?, ?, ?, ?)")) {
      List<ComponentSpec> list = spec.components();
      for (int i = 0; i < list.size(); i++) {
        ComponentSpec component = list.get(i);
        components.setString(1, spec.name());
        components.setString(2, component.name());
        components.setInt(3, i);
        components.setString(4, component.runtime().wire());
        String json = SpecJson.write(component);
        if (json.length() > MAX_COMPONENT_JSON) {
          throw new InvalidSpecException(
              List.of(
                  new Violation(
                      "services[" + spec.name() + "].components[" + i + "]",
                      "is too large: "
                          + json.length()
                          + " characters stored, at most "
                          + MAX_COMPONENT_JSON)));
        }
        components.setString(5, json);
        components.addBatch();
        for (RouteSpec route : component.routes()) {
          routes.setString(1, spec.name());
          routes.setString(2, component.name());
          routes.setString(3, route.name());
          routes.setInt(4, route.port());
          routes.setString(5, toColumn(route.hostname()));
          routes.setString(6, route.mode().wire());
          routes.addBatch();
        }
      }
      components.executeBatch();
      routes.executeBatch();
    }
  }

  // ---- reading ----

  private StoredService lock(Connection connection, String name, Long expectedGeneration)
      throws SQLException {
    try (var statement =
            Sql.prepare(connection, "SELECT name FROM services WHERE name = ? FOR UPDATE", name);
        ResultSet rows = statement.executeQuery()) {
      if (!rows.next()) {
        throw new NotFoundException("no service named " + name);
      }
    }
    StoredService current = read(connection, "WHERE s.name = ?", name).get(0);
    if (expectedGeneration != null && current.generation() != expectedGeneration) {
      throw new ConflictException(
          "service "
              + name
              + ": expected generation "
              + expectedGeneration
              + ", found "
              + current.generation()
              + "; read again and retry");
    }
    return current;
  }

  /** Services with their components, in one statement (a consistent snapshot), by name. */
  private static List<StoredService> read(Connection connection, String where, Object... parameters)
      throws SQLException {
    List<StoredService> services = new ArrayList<>();
    try (var statement =
            Sql.prepare(
                connection,
                "SELECT s.name, s.generation, s.source, s.desired_state, s.node, s.comment,"
                    + " s.labels, s.created_at, s.updated_at, c.spec FROM services s"
                    + " LEFT JOIN components c ON c.service = s.name "
                    + where
                    + " ORDER BY s.name, c.position",
                parameters);
        ResultSet rows = statement.executeQuery()) {
      String name = null;
      Row row = null;
      while (rows.next()) {
        String rowName = rows.getString("name");
        if (!rowName.equals(name)) {
          if (row != null) {
            services.add(row.toStored());
          }
          name = rowName;
          row = new Row(rows);
        }
        String component = rows.getString("spec");
        if (component != null) {
          row.components.add(SpecJson.fromJson(parse(component)));
        }
      }
      if (row != null) {
        services.add(row.toStored());
      }
    }
    return services;
  }

  private static JsonNode parse(String json) {
    try {
      return SpecJson.MAPPER.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new RegistryException("a stored component is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** One service's columns while its component rows are being collected. */
  private static final class Row {
    final String name;
    final long generation;
    final String source;
    final DesiredState state;
    final String node;
    final String comment;
    final Map<String, String> labels;
    final Instant createdAt;
    final Instant updatedAt;
    final List<ComponentSpec> components = new ArrayList<>();

    Row(ResultSet rows) throws SQLException {
      name = rows.getString("name");
      generation = rows.getLong("generation");
      source = rows.getString("source");
      String stateText = rows.getString("desired_state");
      state =
          Wire.parse(DesiredState.class, DesiredState::wire, stateText)
              .orElseThrow(
                  () -> new RegistryException("stored desired state is unknown: " + stateText));
      node = rows.getString("node");
      comment = rows.getString("comment");
      labels = SpecJson.readLabels(rows.getString("labels"));
      createdAt = Sql.instant(rows, "created_at");
      updatedAt = Sql.instant(rows, "updated_at");
    }

    StoredService toStored() {
      return new StoredService(
          new ServiceSpec(name, node, state, comment, components, labels),
          generation,
          source,
          createdAt,
          updatedAt);
    }
  }
}
