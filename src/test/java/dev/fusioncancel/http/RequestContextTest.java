package dev.fusioncancel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestContextTest {
  private static HttpCall call(Map<String, List<String>> headers) {
    return new HttpCall("POST", "/", null, headers, new byte[0]);
  }

  @Test
  void from_withoutTraceHeaders_isARandomVersion4Uuid() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      RequestContext ctx = RequestContext.from(call(Map.of()));
      UUID id = UUID.fromString(ctx.requestId());
      assertEquals(4, id.version());
      assertEquals(2, id.variant());
      assertEquals(ctx.requestId(), id.toString());
      assertNull(ctx.traceId());
      ids.add(ctx.requestId());
    }
    assertEquals(1000, ids.size());
  }

  @Test
  void from_withCloudTraceContext_usesTraceAndSpan() {
    RequestContext ctx =
        RequestContext.from(
            call(
                Map.of(
                    "X-Cloud-Trace-Context", List.of("105445AA7843BC8BF206B12000100000/1;o=1"))));

    assertEquals("105445aa7843bc8bf206b12000100000/1", ctx.requestId());
    assertEquals("105445aa7843bc8bf206b12000100000", ctx.traceId());
  }
}
