package dev.fusioncancel.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.fusioncancel.client.InMemoryOperationsApi;
import dev.fusioncancel.config.Config;
import dev.fusioncancel.http.CancelHandler;
import dev.fusioncancel.outcome.PollSettings;
import dev.fusioncancel.time.FakeTime;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CancelHttpFunctionTest {
  private static final String NAME = "projects/my-project/locations/us-central1/operations/op-1";

  @Test
  void service_translatesRequestAndWritesTheAnswer() throws Exception {
    FakeTime time = new FakeTime();
    InMemoryOperationsApi api = new InMemoryOperationsApi();
    api.put(InMemoryOperationsApi.running(NAME, "update", "t", Instant.EPOCH));
    CancelHttpFunction function =
        new CancelHttpFunction(
            new CancelHandler(
                Config.from(Map.of()),
                new dev.fusioncancel.engine.CancelEngine(
                    api.client(time), time, time, time, PollSettings.DEFAULT, 100),
                time,
                time,
                java.time.Duration.ofSeconds(60),
                null));

    HttpRequest request = mock(HttpRequest.class);
    HttpResponse response = mock(HttpResponse.class);
    StringWriter out = new StringWriter();
    when(request.getMethod()).thenReturn("POST");
    when(request.getUri()).thenReturn("http://localhost:8080/");
    when(request.getHeaders()).thenReturn(Map.of("Content-Type", List.of("application/json")));
    when(request.getInputStream())
        .thenReturn(
            new ByteArrayInputStream(
                ("{\"name\":\"" + NAME + "\"}").getBytes(StandardCharsets.UTF_8)));
    when(response.getWriter()).thenReturn(new BufferedWriter(out));

    function.service(request, response);

    verify(response).setStatusCode(200);
    verify(response).setContentType("application/json; charset=utf-8");
    JsonObject body = JsonParser.parseString(out.toString()).getAsJsonObject();
    assertEquals("CANCELLED", body.get("outcome").getAsString());
  }

  @Test
  void readAtMost_neverReadsPastTheLimit() throws Exception {
    byte[] big = new byte[200_000];
    assertEquals(
        CancelHandler.MAX_BODY_BYTES + 1,
        CancelHttpFunction.readAtMost(
                new ByteArrayInputStream(big), CancelHandler.MAX_BODY_BYTES + 1)
            .length);
  }
}
