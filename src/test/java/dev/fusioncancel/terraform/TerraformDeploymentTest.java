package dev.fusioncancel.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first-apply and day-two risks of {@code terraform/}: API propagation, the custom role's soft
 * delete, the source bucket name, the per-instance share of Data Fusion's quota, and the
 * dead-letter step. Expressions are evaluated by {@code terraform console} in a throwaway
 * configuration that holds only the module's own locals (no provider needed), and the generated
 * dead-letter commands are run by {@code sh} against a fake gcloud.
 */
class TerraformDeploymentTest {

  private static final Path TERRAFORM = Paths.get("terraform");

  @TempDir Path tmp;

  // ---------------------------------------------------------------------------------------------
  // First apply on a fresh project
  // ---------------------------------------------------------------------------------------------

  @Test
  void everyResource_waitsForApiPropagation_directlyOrThroughWhatItReferences() throws IOException {
    Map<String, String> bodies = resourceBodies();
    assertTrue(bodies.containsKey("time_sleep.apis"), "time_sleep.apis missing");
    assertTrue(
        bodies.get("time_sleep.apis").contains("google_project_service.apis"),
        "the pause must follow the API enablement");
    Set<String> waiting = new TreeSet<>(Set.of("time_sleep.apis"));
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Map.Entry<String, String> e : bodies.entrySet()) {
        if (!waiting.contains(e.getKey())
            && waiting.stream().anyMatch(w -> references(e.getValue(), w))) {
          grew = waiting.add(e.getKey());
        }
      }
    }
    Set<String> exempt =
        Set.of(
            "google_project_service.apis",
            // Terraform's own bookkeeping, no API call.
            "time_static.custom_role",
            "data.archive_file.source",
            "data.google_client_config.current");
    for (String address : bodies.keySet()) {
      if (!exempt.contains(address)) {
        assertTrue(waiting.contains(address), address + " does not wait for time_sleep.apis");
      }
    }
    assertTrue(
        bodies.get("data.google_project.this").contains("time_sleep.apis"),
        "data.google_project needs the Cloud Resource Manager API: read it after the pause");
    assertTrue(
        bodies.get("google_project_iam_custom_role.operator").contains("time_sleep.apis"),
        "the custom role waits too");
  }

  @Test
  void apis_includeCloudResourceManagerAndServiceUsageIsDocumented() throws IOException {
    String main = Files.readString(TERRAFORM.resolve("main.tf"));
    assertTrue(main.contains("\"cloudresourcemanager.googleapis.com\""));
    assertTrue(main.contains("\"iam.googleapis.com\""));
    String readme = Files.readString(TERRAFORM.resolve("README.md"));
    assertTrue(readme.contains("cloudresourcemanager.googleapis.com"), "prerequisite documented");
    assertTrue(readme.contains("serviceusage.googleapis.com"), "prerequisite documented");
  }

  @Test
  void customRole_idEndsInItsCreationTime_soASoftDeletedOrGcloudMadeRoleNeverCollides()
      throws IOException {
    String iam = Files.readString(TERRAFORM.resolve("iam.tf"));
    String role =
        TerraformContractTest.blockBody(
            iam, "resource\\s+\"google_project_iam_custom_role\"\\s+\"operator\"\\s*\\{");
    assertNotNull(role);
    assertTrue(role.contains("role_id     = local.custom_role_id"), role);
    String expression = localExpression(iam, "custom_role_id");
    assertTrue(expression.contains("time_static.custom_role.rfc3339"), expression);
    String id =
        console(
            Map.of("custom_role_id", "fusionCancelOperator"),
            Map.of(
                "custom_role_id",
                expression.replace("time_static.custom_role.rfc3339", "\"2026-12-01T22:30:05Z\"")),
            "local.custom_role_id");
    assertEquals("\"fusionCancelOperator_20261201223005\"", id);
    assertTrue(id.replace("\"", "").matches("[a-zA-Z0-9_.]{3,64}"), "a valid role id: " + id);
    String longest = "a".repeat(49);
    String longId =
        console(
            Map.of("custom_role_id", longest),
            Map.of(
                "custom_role_id",
                expression.replace("time_static.custom_role.rfc3339", "\"2026-12-01T22:30:05Z\"")),
            "local.custom_role_id");
    assertEquals(64 + 2, longId.length(), "the longest accepted prefix still makes a valid id");
  }

  @Test
  void sourceBucket_isAValidBucketNameForEveryProjectIdTheVariablesAccept() throws IOException {
    String main = Files.readString(TERRAFORM.resolve("main.tf"));
    Map<String, String> locals =
        Map.of(
            "bucket_candidate", localExpression(main, "bucket_candidate"),
            "source_bucket", localExpression(main, "source_bucket"));
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("my-project", "fusion-cancel");
    cases.put("example.com:my-project", "fusion-cancel");
    cases.put(
        "a-rather-long-subdomain.example.com:a-project-id-of-thirty-chars",
        "a-prefix-of-twenty-two");
    cases.put("my-google-project", "fusion-cancel");
    Pattern bucket = Pattern.compile("[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      String name =
          console(
                  Map.of("project_id", c.getKey(), "name_prefix", c.getValue()),
                  locals,
                  "local.source_bucket")
              .replace("\"", "");
      assertTrue(bucket.matcher(name).matches(), c + " -> invalid bucket name " + name);
      assertFalse(name.contains("google"), c + " -> " + name);
    }
    assertEquals(
        "\"my-project-fusion-cancel-src\"",
        console(
            Map.of("project_id", "my-project", "name_prefix", "fusion-cancel"),
            locals,
            "local.source_bucket"),
        "plain project ids keep the name earlier versions created (no bucket replacement)");
  }

  // ---------------------------------------------------------------------------------------------
  // One quota per service account, shared by a function's instances
  // ---------------------------------------------------------------------------------------------

  @Test
  void budget_isSplitBetweenInstances_soTheirSumNeverExceedsTheQuota() throws IOException {
    String main = Files.readString(TERRAFORM.resolve("main.tf"));
    for (String fn : List.of("http", "bulk")) {
      String local = fn + "_requests_per_minute";
      assertTrue(
          main.contains("REQUESTS_PER_MINUTE    = tostring(local." + local + ")"),
          fn + " must get its per-instance share");
      String expression = localExpression(main, local);
      for (int instances = 1; instances <= 12; instances++) {
        for (int budget : List.of(540, 600, 599, 100)) {
          int perInstance =
              Integer.parseInt(
                  console(
                      Map.of(
                          "requests_per_minute",
                          Integer.toString(budget),
                          fn + "_max_instances",
                          Integer.toString(instances)),
                      Map.of(local, expression),
                      "local." + local));
          assertTrue(
              perInstance * instances <= budget, fn + ": " + instances + " x " + perInstance);
          assertTrue((perInstance + 1) * instances > budget, "the whole budget is used");
        }
      }
      String function =
          TerraformContractTest.blockBody(
              main, "resource\\s+\"google_cloudfunctions2_function\"\\s+\"" + fn + "\"\\s*\\{");
      assertTrue(
          function.contains("var.requests_per_minute <= var.datafusion_quota_per_minute")
              && function.contains(
                  "local." + local + " >= var.min_requests_per_minute_per_instance"),
          fn
              + ": a precondition must refuse a budget above the quota or an instance count it cannot cover");
    }
    assertEquals("600", defaultOf("datafusion_quota_per_minute"));
    assertEquals("540", defaultOf("requests_per_minute"));
  }

  // ---------------------------------------------------------------------------------------------
  // Dead letters
  // ---------------------------------------------------------------------------------------------

  /**
   * Pub/Sub's push backoff between deliveries: 10 s doubling to 600 s (the values the commands
   * set). Eventarc's "no available instance" 429 counts as a failed delivery.
   */
  static long retryHorizonSeconds(int attempts) {
    long total = 0;
    for (int k = 1; k < attempts; k++) {
      total += Math.min(10L << Math.min(k - 1, 20), 600);
    }
    return total;
  }

  @Test
  void deadLetterAttempts_outlastTheLongestWaitOfAValidRequest_forA10MinuteSchedule()
      throws IOException {
    assertEquals(2430, retryHorizonSeconds(10), "the old default: 40 minutes, as the issue saw");
    String variables = Files.readString(TERRAFORM.resolve("variables.tf"));
    String attempts =
        TerraformContractTest.blockBody(
            variables, "variable\\s+\"dead_letter_max_delivery_attempts\"\\s*\\{");
    Matcher min = Pattern.compile(">= ([0-9]+) &&").matcher(attempts);
    assertTrue(min.find(), attempts);
    int least = Integer.parseInt(min.group(1));
    int timeout = Integer.parseInt(defaultOf("bulk_timeout_seconds"));
    // A valid request waits at most for the run ahead of it (one bulk timeout), the rest of the
    // schedule period (10 min) and one maximal backoff (600 s); the least accepted attempts
    // outlast that twice, the default by far.
    long longestWait = timeout + 600 + 600;
    assertTrue(
        retryHorizonSeconds(least) >= 2 * longestWait,
        least + " attempts last " + retryHorizonSeconds(least) + " s < 2 x " + longestWait);
    assertEquals("100", defaultOf("dead_letter_max_delivery_attempts"));
    assertTrue(retryHorizonSeconds(100) > 15 * 3600);
    assertEquals("1", defaultOf("bulk_max_instances"), "one run keeps the whole budget");
    String pubsub = Files.readString(TERRAFORM.resolve("pubsub.tf"));
    assertTrue(pubsub.contains("--min-retry-delay=10s --max-retry-delay=600s"), "backoff pinned");
  }

  @Test
  void deadLetterStep_rerunsOnEveryTriggerChange_afterTheDeadLetterSubscriptionExists()
      throws IOException {
    String pubsub = Files.readString(TERRAFORM.resolve("pubsub.tf"));
    String step =
        TerraformContractTest.blockBody(
            pubsub, "resource\\s+\"terraform_data\"\\s+\"attach_dead_letter\"\\s*\\{");
    assertNotNull(step);
    assertTrue(
        step.contains("jsonencode(google_cloudfunctions2_function.bulk.event_trigger)"),
        "keyed on the whole trigger (a recreated trigger has a new name and subscription)");
    assertTrue(step.contains("google_pubsub_subscription.dead_letter"), step);
    assertTrue(step.contains("google_pubsub_topic_iam_member.dead_letter_publisher"), step);
    assertEquals("true", defaultOf("attach_dead_letter_with_gcloud"), "on after every apply");
    String iam = pubsub + Files.readString(TERRAFORM.resolve("iam.tf"));
    assertTrue(
        Pattern.compile(
                "google_pubsub_topic_iam_member\"\\s+\"dead_letter_publisher\"[^}]*topic\\s*=\\s*google_pubsub_topic\\.dead_letter\\.name[^}]*roles/pubsub\\.publisher[^}]*pubsub_service_agent")
            .matcher(iam)
            .find(),
        "the Pub/Sub service agent publishes to the dead-letter topic");
  }

  @Test
  void deadLetterCommands_stopOnAnEmptyLookup_andOnAFailedStep() throws Exception {
    String script = deadLetterScript();
    assertTrue(script.startsWith("set -eu\n"), script);
    assertTrue(script.contains("--location='us-central1'"), "describe needs --location");

    // The trigger has no subscription: nothing is changed, the script fails.
    Run empty = runWithFakeGcloud(script, "", "projects/p/topics/dl", 0);
    assertNotEquals(0, empty.exit(), empty.log());
    assertFalse(empty.log().contains("subscriptions update"), empty.log());

    // The lookup works: grant, update, verify, exit 0.
    Run ok =
        runWithFakeGcloud(
            script, "projects/p/subscriptions/eventarc-sub", "projects/p/topics/dl", 0);
    assertEquals(0, ok.exit(), ok.log());
    assertTrue(
        ok.log()
            .contains(
                "pubsub subscriptions add-iam-policy-binding projects/p/subscriptions/eventarc-sub"),
        ok.log());
    assertTrue(
        ok.log().contains("--dead-letter-topic=projects/p/topics/dl --max-delivery-attempts=100"),
        ok.log());

    // The update fails: the script fails too.
    Run failing =
        runWithFakeGcloud(
            script, "projects/p/subscriptions/eventarc-sub", "projects/p/topics/dl", 1);
    assertNotEquals(0, failing.exit(), failing.log());

    // The policy did not stick (another topic): the check fails.
    Run wrong =
        runWithFakeGcloud(
            script, "projects/p/subscriptions/eventarc-sub", "projects/p/topics/other", 0);
    assertNotEquals(0, wrong.exit(), wrong.log());
  }

  @Test
  void deadLetterCommands_areTheOnesTerraformReadmeShows_whichCiRunsThroughGcloudsParser()
      throws Exception {
    String generated =
        deadLetterScript(
            "TRIGGER",
            "R",
            "P",
            "projects/P/topics/fusion-cancel-requests-dead-letter",
            "PROJECT_NUMBER");
    String readme = Files.readString(TERRAFORM.resolve("README.md"));
    Matcher block = Pattern.compile("(?s)```sh\n(set -eu\n.*?)```").matcher(readme);
    assertTrue(block.find(), "terraform/README.md shows the generated commands");
    assertEquals(normalized(block.group(1)), normalized(generated));
  }

  @Test
  void provisioner_givesGcloudTerraformsTokenThroughAPrivateFile_removedAfterwards()
      throws Exception {
    String script =
        deadLetterScript(
            "fusion-cancel-bulk-123456",
            "us-central1",
            "p",
            "projects/p/topics/dl",
            "123",
            "provisioner_command");
    Run run =
        runWithFakeGcloud(
            script, "projects/p/subscriptions/eventarc-sub", "projects/p/topics/dl", 0);
    assertEquals(0, run.exit(), run.log());
    Matcher token = Pattern.compile("token=(\\S*) file=(\\S+)").matcher(run.log());
    int calls = 0;
    while (token.find()) {
      calls++;
      assertEquals("ya29.test-token", token.group(1), run.log());
      assertFalse(Files.exists(Paths.get(token.group(2))), "the token file is removed at exit");
    }
    assertEquals(4, calls, "every gcloud call sees the token: " + run.log());
  }

  /** Shell text with continuations joined, quotes dropped and blanks collapsed, line by line. */
  private static String normalized(String shell) {
    return shell.replace("\\\n", " ").replace("'", "").replaceAll("[ \t]+", " ").strip();
  }

  // ---------------------------------------------------------------------------------------------
  // Audit trail
  // ---------------------------------------------------------------------------------------------

  @Test
  void outcomeTopic_carriesTheRepositorySchema_andTheAuditTableIsOptional() throws IOException {
    String pubsub = Files.readString(TERRAFORM.resolve("pubsub.tf"));
    assertTrue(pubsub.contains("schemas/outcome-event.proto"), "the schema file is the definition");
    assertTrue(pubsub.contains("type       = \"PROTOCOL_BUFFER\""), pubsub);
    String topic =
        TerraformContractTest.blockBody(
            pubsub, "resource\\s+\"google_pubsub_topic\"\\s+\"outcomes\"\\s*\\{");
    assertTrue(
        topic.contains("dynamic \"schema_settings\"") && topic.contains("encoding = \"JSON\""),
        topic);
    assertTrue(Files.exists(Paths.get("schemas", "outcome-event.proto")));
    assertEquals("true", defaultOf("outcome_schema"));
    assertEquals("false", defaultOf("audit_bigquery"), "BigQuery is opt-in");
    String audit = Files.readString(TERRAFORM.resolve("audit.tf"));
    String sub =
        TerraformContractTest.blockBody(
            audit, "resource\\s+\"google_pubsub_subscription\"\\s+\"audit\"\\s*\\{");
    assertTrue(
        sub.contains("use_topic_schema    = true") && sub.contains("write_metadata      = true"),
        sub);
    assertTrue(sub.contains("google_pubsub_topic.outcomes.id"), sub);
    assertTrue(audit.contains("schemas/outcome-event.bigquery.json"), "table schema from the repo");
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------

  record Run(int exit, String log) {}

  private String deadLetterScript() throws Exception {
    return deadLetterScript(
        "fusion-cancel-bulk-123456", "us-central1", "p", "projects/p/topics/dl", "123");
  }

  private String deadLetterScript(
      String trigger, String region, String project, String deadLetterTopic, String projectNumber)
      throws Exception {
    return deadLetterScript(
        trigger, region, project, deadLetterTopic, projectNumber, "dead_letter_setup_commands");
  }

  /** Evaluates local {@code which} (or the provisioner's command, "provisioner_command"). */
  private String deadLetterScript(
      String trigger,
      String region,
      String project,
      String deadLetterTopic,
      String projectNumber,
      String which)
      throws Exception {
    String pubsub = Files.readString(TERRAFORM.resolve("pubsub.tf"));
    String main = Files.readString(TERRAFORM.resolve("main.tf"));
    String commands =
        localExpression(pubsub, "dead_letter_setup_commands")
            .replace("google_pubsub_topic.dead_letter.id", "local.dead_letter_topic");
    Map<String, String> locals = new TreeMap<>();
    locals.put("dead_letter_setup_commands", commands);
    locals.put("provisioner_command", localExpression(pubsub, "command"));
    locals.put("bulk_trigger", "\"" + trigger + "\"");
    locals.put("dead_letter_topic", "\"" + deadLetterTopic + "\"");
    locals.put(
        "pubsub_service_agent",
        localExpression(main, "pubsub_service_agent")
            .replace("data.google_project.this.number", "\"" + projectNumber + "\""));
    String json =
        console(
            Map.of(
                "region",
                region,
                "project_id",
                project,
                "dead_letter_max_delivery_attempts",
                "100"),
            locals,
            "jsonencode(local." + which + ")");
    return JsonParser.parseString(JsonParser.parseString(json).getAsString()).getAsString();
  }

  /** Runs the script with a gcloud that logs its arguments and answers the given lookups. */
  private Run runWithFakeGcloud(
      String script, String subscription, String deadLetterTopic, int updateExit) throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin-" + System.nanoTime()));
    Path log = bin.resolve("calls.log");
    Path gcloud = bin.resolve("gcloud");
    Files.writeString(
        gcloud,
        String.join(
            "\n",
            "#!/bin/sh",
            "echo \"$*\" >> '" + log + "'",
            "if [ -n \"${CLOUDSDK_AUTH_ACCESS_TOKEN_FILE:-}\" ]; then echo \"token=$(cat"
                + " \"$CLOUDSDK_AUTH_ACCESS_TOKEN_FILE\") file=$CLOUDSDK_AUTH_ACCESS_TOKEN_FILE\" >> '"
                + log
                + "'; fi",
            "case \"$*\" in",
            "  'eventarc triggers describe'*) printf '%s\\n' '" + subscription + "' ;;",
            "  'pubsub subscriptions update'*) exit " + updateExit + " ;;",
            "  'pubsub subscriptions describe'*) printf '%s\\n' '" + deadLetterTopic + "' ;;",
            "esac",
            ""));
    assertTrue(gcloud.toFile().setExecutable(true));
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true);
    pb.environment().put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
    pb.environment().put("FUSION_CANCEL_ACCESS_TOKEN", "ya29.test-token");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    String calls = Files.exists(log) ? Files.readString(log) : "";
    return new Run(p.exitValue(), calls + out);
  }

  /** The default of a module variable, as its literal text (quotes removed). */
  private static String defaultOf(String variable) throws IOException {
    String body =
        TerraformContractTest.blockBody(
            Files.readString(TERRAFORM.resolve("variables.tf")),
            "variable\\s+\"" + variable + "\"\\s*\\{");
    assertNotNull(body, variable);
    Matcher m = Pattern.compile("(?m)^\\s*default\\s*=\\s*(.+)$").matcher(body);
    assertTrue(m.find(), variable + " has no default");
    return m.group(1).strip().replace("\"", "");
  }

  /** The expression text of local {@code name} in {@code text} (balanced, multi-line). */
  static String localExpression(String text, String name) {
    Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + "\\s*=\\s*").matcher(text);
    assertTrue(m.find(), "local " + name + " not found");
    int depth = 0;
    boolean inString = false;
    int i = m.end();
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if ("([{".indexOf(c) >= 0) {
        depth++;
      } else if (")]}".indexOf(c) >= 0) {
        depth--;
      } else if (c == '\n' && depth == 0) {
        break;
      }
    }
    return text.substring(m.end(), i).strip();
  }

  /**
   * Evaluates {@code expression} with {@code terraform console} in a configuration that declares
   * the given variables (values passed with -var) and locals; no provider is involved.
   */
  private String console(Map<String, String> vars, Map<String, String> locals, String expression)
      throws IOException {
    String terraform = findOnPath("terraform");
    if (terraform == null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("terraform is not on PATH");
      }
      Assumptions.abort("terraform not on PATH (fails when CI=true)");
    }
    Path dir = Files.createTempDirectory(tmp, "tf");
    StringBuilder tf = new StringBuilder();
    vars.keySet().forEach(v -> tf.append("variable \"").append(v).append("\" {}\n"));
    tf.append("locals {\n");
    locals.forEach((k, v) -> tf.append("  ").append(k).append(" = ").append(v).append('\n'));
    tf.append("}\n");
    Files.writeString(dir.resolve("main.tf"), tf);
    List<String> cmd = new ArrayList<>(List.of(terraform, "console"));
    vars.forEach((k, v) -> cmd.add("-var=" + k + "=" + v));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().put("TF_CLI_CONFIG_FILE", "/dev/null");
    pb.environment().put("CHECKPOINT_DISABLE", "1");
    Process p = pb.start();
    p.getOutputStream().write((expression + "\n").getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "terraform console timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    assertEquals(
        0, p.exitValue(), "terraform console failed on " + expression + ":\n" + err + "\n" + tf);
    return out;
  }

  /** Every resource and data source of the module, by address, with its body text. */
  private static Map<String, String> resourceBodies() throws IOException {
    Map<String, String> out = new TreeMap<>();
    Pattern header = Pattern.compile("(?m)^(resource|data)\\s+\"([^\"]+)\"\\s+\"([^\"]+)\"\\s*\\{");
    try (Stream<Path> files = Files.list(TERRAFORM)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".tf")).toList()) {
        String text = Files.readString(f);
        Matcher m = header.matcher(text);
        while (m.find()) {
          String address =
              (m.group(1).equals("data") ? "data." : "") + m.group(2) + "." + m.group(3);
          out.put(
              address,
              TerraformContractTest.blockBody(text.substring(m.start()), Pattern.quote(m.group())));
        }
      }
    }
    // Locals are references too: a resource using local.x depends on what x references.
    return inlineLocals(out);
  }

  private static Map<String, String> inlineLocals(Map<String, String> bodies) throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(TERRAFORM)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".tf")).toList()) {
        all.append(Files.readString(f)).append('\n');
      }
    }
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : bodies.entrySet()) {
      String body = e.getValue();
      for (int round = 0; round < 5; round++) {
        Matcher m = Pattern.compile("local\\.([a-z0-9_]+)").matcher(body);
        StringBuilder expanded = new StringBuilder(body);
        Set<String> seen = new TreeSet<>();
        while (m.find()) {
          if (seen.add(m.group(1))) {
            expanded.append('\n').append(localExpression(all.toString(), m.group(1)));
          }
        }
        body = expanded.toString().replaceAll("local\\.[a-z0-9_]+", "");
      }
      out.put(e.getKey(), body);
    }
    return out;
  }

  private static boolean references(String body, String address) {
    return Pattern.compile("(?<![A-Za-z0-9_.])" + Pattern.quote(address) + "(?![A-Za-z0-9_])")
        .matcher(body)
        .find();
  }

  private static String findOnPath(String binary) {
    for (String dir :
        Objects.requireNonNullElse(System.getenv("PATH"), "").split(File.pathSeparator)) {
      Path candidate = Paths.get(dir, binary);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
