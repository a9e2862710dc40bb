package dev.fusioncancel.http;

import com.google.gson.JsonObject;
import dev.fusioncancel.client.ApiException;
import dev.fusioncancel.config.Config;
import dev.fusioncancel.log.Abbreviation;
import dev.fusioncancel.log.CloudLog;
import dev.fusioncancel.name.InvalidNameException;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.outcome.CancelAttempt;
import dev.fusioncancel.outcome.CancelResult;
import dev.fusioncancel.outcome.Canceller;
import dev.fusioncancel.outcome.EventIds;
import dev.fusioncancel.outcome.Outcome;
import dev.fusioncancel.outcome.OutcomeEvent;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.rpc.RpcStatus;
import dev.fusioncancel.rpc.SystemParameters;
import dev.fusioncancel.time.Durations;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP function's decisions, free of any framework: routes {@code POST /} (the JSON API) and
 * {@code POST /{version}/{name}:cancel} (the drop-in for the Data Fusion method), validates
 * everything before any call, and turns results into the contract's answers.
 */
public final class CancelHandler {
  /** Bodies larger than this are refused with 413. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private static final Set<String> BODY_FIELDS = Set.of("name", "wait");
  private static final Pattern DROP_IN = Pattern.compile("/(v1|v1beta1)/(.+):cancel");

  private final Config config;
  private final Canceller canceller;
  private final Clock clock;
  private final String logProject;

  public CancelHandler(Config config, Canceller canceller, Clock clock, String logProject) {
    this.config = config;
    this.canceller = canceller;
    this.clock = clock;
    this.logProject = logProject;
  }

  /** Handles one request; never throws for anything a caller sent. */
  public HttpAnswer handle(HttpCall call) {
    long started = clock.millis();
    RequestContext ctx = RequestContext.from(call);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("requestId", ctx.requestId());
    HttpAnswer answer;
    try {
      answer = route(call, ctx, labels);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer = HttpAnswer.error(new RpcStatus(Code.UNAVAILABLE, "the function is shutting down"));
    } catch (RuntimeException e) {
      answer = HttpAnswer.error(new RpcStatus(Code.INTERNAL, "internal error"));
      labels.put("exception", e.getClass().getName());
    }
    labels.put("status", Integer.toString(answer.status()));
    labels.put("latencyMs", Long.toString(clock.millis() - started));
    CloudLog.Severity severity =
        answer.status() >= 500
            ? CloudLog.Severity.ERROR
            : answer.status() >= 400 ? CloudLog.Severity.WARNING : CloudLog.Severity.INFO;
    CloudLog.log(
        severity,
        call.method() + " " + abbreviate(call.rawPath()) + " -> " + answer.status(),
        ctx.traceResource(logProject),
        labels);
    return answer;
  }

  private HttpAnswer route(HttpCall call, RequestContext ctx, Map<String, String> labels)
      throws InterruptedException {
    String path = call.rawPath() == null ? "" : call.rawPath();
    boolean root = path.isEmpty() || path.equals("/");
    Matcher dropIn = DROP_IN.matcher(path);
    if (!root && !dropIn.matches()) {
      return HttpAnswer.error(
          new RpcStatus(
              Code.NOT_FOUND,
              "no such path; use POST / or POST /v1/projects/*/locations/*/operations/*:cancel"));
    }
    if (!call.method().equals("POST")) {
      return new HttpAnswer(
              405,
              statusJson(
                  405, Code.UNIMPLEMENTED, "method " + call.method() + " not allowed; use POST"),
              Map.of())
          .withHeader("Allow", "POST");
    }
    if (call.body().length > MAX_BODY_BYTES) {
      return new HttpAnswer(
          413,
          statusJson(413, Code.INVALID_ARGUMENT, "body over " + MAX_BODY_BYTES + " bytes"),
          Map.of());
    }
    return root ? jsonApi(call, ctx, labels) : dropIn(call, dropIn.group(2), ctx, labels);
  }

  private HttpAnswer jsonApi(HttpCall call, RequestContext ctx, Map<String, String> labels)
      throws InterruptedException {
    if (!call.mediaType().equals("application/json")) {
      return new HttpAnswer(
          415,
          statusJson(
              415,
              Code.INVALID_ARGUMENT,
              "Content-Type must be application/json, got '"
                  + abbreviate(call.header("Content-Type").orElse(""))
                  + "'"),
          Map.of());
    }
    HttpAnswer badQuery = queryProblem(call.rawQuery());
    if (badQuery != null) {
      return badQuery;
    }
    String nameText;
    Duration wait;
    try {
      JsonObject body = JsonBodies.object(call.body(), BODY_FIELDS);
      nameText = JsonBodies.optionalString(body, "name");
      if (nameText == null) {
        return invalid("field 'name' is required");
      }
      String waitText = JsonBodies.optionalString(body, "wait");
      wait = waitText == null ? Duration.ZERO : config.capWait(Durations.parse(waitText));
    } catch (IllegalArgumentException e) {
      return invalid(e.getMessage());
    }
    OperationName name;
    try {
      name = OperationName.parse(nameText);
    } catch (InvalidNameException e) {
      labels.put("outcome", Outcome.INVALID_NAME.name());
      return invalid(e.getMessage());
    }
    labels.put("operation", name.toString());
    if (!config.allows(name.parent())) {
      labels.put("outcome", Outcome.NOT_ALLOWED.name());
      return HttpAnswer.error(notAllowed(name));
    }
    CancelResult result = canceller.cancel(name, wait);
    OutcomeEvent event = OutcomeEvent.of(ctx.requestId(), result, false);
    labels.put("outcome", event.outcome().name());
    labels.put("eventId", event.eventId());
    if (event.outcome().isSuccessfulAnswer()) {
      return HttpAnswer.json(200, event.toJson());
    }
    RpcStatus status = errorStatus(result);
    JsonObject body = status.toJson();
    body.getAsJsonObject("error").add("details", details(event));
    return new HttpAnswer(status.httpStatus(), body, Map.of());
  }

  private HttpAnswer dropIn(
      HttpCall call, String rawName, RequestContext ctx, Map<String, String> labels) {
    HttpAnswer badQuery = queryProblem(call.rawQuery());
    if (badQuery != null) {
      return badQuery;
    }
    if (call.body().length > 0) {
      try {
        JsonObject body = JsonBodies.object(call.body(), Set.of());
        if (!body.keySet().isEmpty()) {
          return invalid("the cancel body must be empty or {}");
        }
      } catch (IllegalArgumentException e) {
        return invalid("the cancel body must be empty or {}: " + e.getMessage());
      }
    }
    OperationName name;
    try {
      name = OperationName.parse(rawName);
    } catch (InvalidNameException e) {
      labels.put("outcome", Outcome.INVALID_NAME.name());
      return invalid(e.getMessage());
    }
    labels.put("operation", name.toString());
    labels.put("eventId", EventIds.of(ctx.requestId(), name.toString()));
    if (!config.allows(name.parent())) {
      labels.put("outcome", Outcome.NOT_ALLOWED.name());
      return HttpAnswer.error(notAllowed(name));
    }
    CancelAttempt attempt = canceller.sendCancel(name);
    labels.put("cancelStatus", attempt.status().name());
    if (attempt.accepted()) {
      return HttpAnswer.json(200, new JsonObject());
    }
    return HttpAnswer.error(upstream(attempt.error()));
  }

  /** The error answer for an outcome that is not a 200: NOT_FOUND, PERMISSION_DENIED, ERROR. */
  private static RpcStatus errorStatus(CancelResult result) {
    String detail = result.verdict().detail();
    return switch (result.outcome()) {
      case NOT_FOUND -> new RpcStatus(Code.NOT_FOUND, detail);
      case PERMISSION_DENIED -> new RpcStatus(Code.PERMISSION_DENIED, detail);
      default -> {
        ApiException last =
            result.checkError() != null
                ? result.checkError()
                : result.attempt() == null ? null : result.attempt().error();
        Code code = last == null ? Code.INTERNAL : last.code();
        yield switch (code) {
          case RESOURCE_EXHAUSTED -> new RpcStatus(Code.RESOURCE_EXHAUSTED, detail);
          case UNAVAILABLE, DEADLINE_EXCEEDED -> new RpcStatus(Code.UNAVAILABLE, detail);
          case UNIMPLEMENTED -> new RpcStatus(Code.UNIMPLEMENTED, detail);
          default -> new RpcStatus(Code.INTERNAL, detail);
        };
      }
    };
  }

  /** The drop-in path mirrors the API's own answer, except that exhausted retries say so. */
  private static RpcStatus upstream(ApiException e) {
    Code code = e.code() == Code.DEADLINE_EXCEEDED ? Code.UNAVAILABLE : e.code();
    if (code == Code.UNAUTHENTICATED) {
      code = Code.PERMISSION_DENIED;
    }
    String message = e.status().message();
    if (e.retryable()) {
      message = message + " (after " + e.attempts() + " attempt(s))";
    }
    return new RpcStatus(code, message);
  }

  private static RpcStatus notAllowed(OperationName name) {
    return new RpcStatus(
        Code.PERMISSION_DENIED,
        name.parent() + " is not in ALLOWED_PARENTS; no call was made (outcome NOT_ALLOWED)");
  }

  private static com.google.gson.JsonArray details(OutcomeEvent event) {
    JsonObject info = new JsonObject();
    info.addProperty("@type", "type.googleapis.com/google.rpc.ErrorInfo");
    info.addProperty("reason", event.outcome().name());
    info.addProperty("domain", "fusion-cancel");
    JsonObject metadata = new JsonObject();
    metadata.addProperty("operation", event.operation());
    metadata.addProperty("eventId", event.eventId());
    metadata.addProperty("requestId", event.requestId());
    if (event.cancelStatus() != null) {
      metadata.addProperty("cancelStatus", event.cancelStatus());
    }
    info.add("metadata", metadata);
    com.google.gson.JsonArray array = new com.google.gson.JsonArray();
    array.add(info);
    return array;
  }

  private static HttpAnswer invalid(String message) {
    return HttpAnswer.error(new RpcStatus(Code.INVALID_ARGUMENT, message));
  }

  private static JsonObject statusJson(int http, Code code, String message) {
    JsonObject root = new RpcStatus(code, message).toJson();
    root.getAsJsonObject("error").addProperty("code", http);
    return root;
  }

  /**
   * A 400 for a query that holds anything but system parameters (which are accepted in every
   * documented spelling and never forwarded), else null.
   */
  private static HttpAnswer queryProblem(String rawQuery) {
    try {
      SystemParameters.Query query = SystemParameters.parse(rawQuery);
      if (!query.others().isEmpty()) {
        String name = query.others().keySet().iterator().next();
        return invalid("unknown query parameter '" + abbreviate(name) + "'");
      }
      return null;
    } catch (IllegalArgumentException e) {
      return invalid(abbreviate(e.getMessage()));
    }
  }

  private static String abbreviate(String s) {
    return Abbreviation.abbreviate(s, 120);
  }
}
