package dev.fusioncancel.client;

import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.rpc.RpcStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A small, real, in-memory {@link OperationsApi} for unit tests: operations with scripted cancel
 * behaviour, and a log of every call. (End-to-end tests use the HTTP emulator instead.)
 */
public final class InMemoryOperationsApi implements OperationsApi {
  private final Map<String, Operation> operations = Collections.synchronizedMap(new TreeMap<>());
  private final Map<String, UnaryOperator<Operation>> onCancel = new ConcurrentHashMap<>();
  private final Map<String, ApiException> cancelErrors = new ConcurrentHashMap<>();
  private final Map<String, ApiException> getErrors = new ConcurrentHashMap<>();
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private final java.util.Set<String> extraLocations = ConcurrentHashMap.newKeySet();
  private final Map<String, ApiException> locationErrors = new ConcurrentHashMap<>();

  /** A running operation with the given verb, target and creation time. */
  public static Operation running(String name, String verb, String target, Instant created) {
    return new Operation(name, false, null, false, verb, target, created, null, null, "v1");
  }

  /** Adds an operation whose cancel marks it done with CANCELLED at once. */
  public InMemoryOperationsApi put(Operation op) {
    operations.put(op.name(), op);
    onCancel.putIfAbsent(op.name(), InMemoryOperationsApi::cancelled);
    return this;
  }

  /** Scripts what a cancel does to the operation (it is accepted). */
  public InMemoryOperationsApi onCancel(String name, UnaryOperator<Operation> change) {
    onCancel.put(name, change);
    return this;
  }

  /** Scripts the cancel to fail with this code (the operation is unchanged). */
  public InMemoryOperationsApi cancelFails(String name, Code code) {
    cancelErrors.put(name, error(code));
    return this;
  }

  /** Scripts every GET of this operation to fail with this code. */
  public InMemoryOperationsApi getFails(String name, Code code) {
    getErrors.put(name, error(code));
    return this;
  }

  /** Every call made, e.g. {@code cancel projects/p/locations/l/operations/o}. */
  public List<String> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /** How many calls of this method ({@code cancel}, {@code get}, {@code list}) were made. */
  public long count(String method) {
    return calls().stream().filter(c -> c.startsWith(method + " ")).count();
  }

  /** The current state of an operation. */
  public Operation current(String name) {
    return operations.get(name);
  }

  /** The operation as done with CANCELLED and requestedCancellation set. */
  public static Operation cancelled(Operation op) {
    return new Operation(
        op.name(),
        true,
        new Operation.OperationError(1, "Operation was cancelled."),
        false,
        op.verb(),
        op.target(),
        op.createTime(),
        op.createTime(),
        true,
        op.apiVersion());
  }

  /** The operation still running but with requestedCancellation set. */
  public static Operation requested(Operation op) {
    return new Operation(
        op.name(), false, null, false, op.verb(), op.target(), op.createTime(), null, true, "v1");
  }

  /** The operation done with a response. */
  public static Operation completed(Operation op) {
    return new Operation(
        op.name(),
        true,
        null,
        true,
        op.verb(),
        op.target(),
        op.createTime(),
        op.createTime(),
        null,
        "v1");
  }

  @Override
  public void cancel(OperationName name) {
    String n = name.toString();
    calls.add("cancel " + n);
    ApiException e = cancelErrors.get(n);
    if (e != null) {
      throw e;
    }
    Operation op = operations.get(n);
    if (op == null) {
      throw error(Code.NOT_FOUND);
    }
    if (!op.done()) {
      operations.put(n, onCancel.getOrDefault(n, UnaryOperator.identity()).apply(op));
    }
  }

  @Override
  public Operation get(OperationName name) {
    String n = name.toString();
    calls.add("get " + n);
    ApiException e = getErrors.get(n);
    if (e != null) {
      throw e;
    }
    Operation op = operations.get(n);
    if (op == null) {
      throw error(Code.NOT_FOUND);
    }
    return op;
  }

  @Override
  public OperationPage list(LocationName parent, int pageSize, String pageToken) {
    calls.add("list " + parent + " " + pageToken);
    String prefix = parent + "/operations/";
    List<Operation> all;
    synchronized (operations) {
      all = operations.values().stream().filter(o -> o.name().startsWith(prefix)).toList();
    }
    int start = pageToken == null ? 0 : Integer.parseInt(pageToken);
    int end = Math.min(all.size(), start + pageSize);
    return new OperationPage(
        all.subList(start, end), end < all.size() ? Integer.toString(end) : null);
  }

  /** Adds a location ({@code projects/P/locations/L}) that holds no operation. */
  public InMemoryOperationsApi addLocation(String name) {
    extraLocations.add(LocationName.parse(name).toString());
    return this;
  }

  /** Scripts every {@code projects.locations.list} of this project to fail with this code. */
  public InMemoryOperationsApi listLocationsFails(String project, Code code) {
    locationErrors.put(project, error(code));
    return this;
  }

  /**
   * The project's locations, sorted: those its operations live in and those added; tokens are
   * offsets, as in {@link #list}.
   */
  @Override
  public LocationPage listLocations(
      dev.fusioncancel.name.ProjectName project, int pageSize, String pageToken) {
    calls.add("listLocations " + project + " " + pageToken);
    ApiException e = locationErrors.get(project.project());
    if (e != null) {
      throw e;
    }
    java.util.TreeSet<String> names = new java.util.TreeSet<>(extraLocations);
    synchronized (operations) {
      operations.keySet().forEach(n -> names.add(n.substring(0, n.indexOf("/operations/"))));
    }
    List<LocationName> all =
        names.stream()
            .map(LocationName::parse)
            .filter(l -> l.project().equals(project.project()))
            .toList();
    int start = pageToken == null ? 0 : Integer.parseInt(pageToken);
    int end = Math.min(all.size(), start + pageSize);
    return new LocationPage(
        all.subList(start, end), end < all.size() ? Integer.toString(end) : null);
  }

  private static ApiException error(Code code) {
    return new ApiException(
        new RpcStatus(code, "scripted " + code), code.httpStatus(), null, 1, null);
  }
}
