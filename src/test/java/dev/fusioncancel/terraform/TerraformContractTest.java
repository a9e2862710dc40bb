package dev.fusioncancel.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import com.google.cloud.functions.CloudEventsFunction;
import com.google.cloud.functions.HttpFunction;
import dev.fusioncancel.config.EnvVars;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the contract between the code and {@code terraform/}: entry points, environment variables,
 * IAM and the event trigger. The Google provider cannot be downloaded in the build, so the files
 * are parsed with hcl4j; it is lenient, hence also the {@code terraform fmt} check.
 */
class TerraformContractTest {

  private static final Path TERRAFORM = Paths.get("terraform");
  private static final Set<String> PUBLIC_MEMBERS = Set.of("allUsers", "allAuthenticatedUsers");
  private static final Set<String> OPERATOR_PERMISSIONS =
      Set.of(
          "datafusion.operations.cancel",
          "datafusion.operations.get",
          "datafusion.operations.list",
          // The bulk function lists a project's locations for projects/P/locations/- parents.
          "datafusion.locations.list");

  /** One {@code resource "type" "name" {...}} (or data, variable...) block from one file. */
  record Block(Path file, String kind, String type, String name, Map<String, Object> body) {
    @Override
    public String toString() {
      return kind + " " + type + (name == null ? "" : "." + name) + " (" + file + ")";
    }
  }

  private static List<Path> files;
  private static List<Block> blocks;

  @BeforeAll
  static void parseAll() throws Exception {
    assertTrue(Files.isDirectory(TERRAFORM), "run from the repository root: terraform/ missing");
    try (Stream<Path> walk = Files.walk(TERRAFORM)) {
      files =
          walk.filter(p -> p.toString().endsWith(".tf"))
              .filter(p -> !p.toString().contains(File.separator + ".terraform" + File.separator))
              .sorted()
              .toList();
    }
    assertFalse(files.isEmpty(), "no .tf files under terraform/");
    blocks = new ArrayList<>();
    for (Path file : files) {
      blocks.addAll(parse(file));
    }
  }

  static List<Block> parse(Path file) throws Exception {
    Map<String, Object> doc = new HCLParser().parse(file.toFile(), StandardCharsets.UTF_8);
    List<Block> out = new ArrayList<>();
    for (Map.Entry<String, Object> top : doc.entrySet()) {
      String kind = top.getKey();
      if (kind.equals("resource") || kind.equals("data")) {
        for (Map.Entry<String, Object> type : map(top.getValue()).entrySet()) {
          for (Map.Entry<String, Object> named : map(type.getValue()).entrySet()) {
            out.add(new Block(file, kind, type.getKey(), named.getKey(), map(named.getValue())));
          }
        }
      } else if (kind.equals("variable") || kind.equals("output") || kind.equals("module")) {
        for (Map.Entry<String, Object> named : map(top.getValue()).entrySet()) {
          out.add(new Block(file, kind, named.getKey(), null, map(named.getValue())));
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Functions
  // ---------------------------------------------------------------------------------------------

  @Test
  void functions_entryPointsAreProjectClassesImplementingTheirTriggersInterface() throws Exception {
    List<Block> functions = resources("google_cloudfunctions2_function");
    assertEquals(2, functions.size(), "expected the HTTP and the bulk function: " + functions);
    Set<String> entryPoints = new TreeSet<>();
    for (Block f : functions) {
      String entryPoint = string(path(f.body(), "build_config", "entry_point"), f + " entry_point");
      entryPoints.add(entryPoint);
      Class<?> cls = Class.forName(entryPoint);
      Class<?> expected =
          f.body().containsKey("event_trigger") ? CloudEventsFunction.class : HttpFunction.class;
      assertTrue(
          expected.isAssignableFrom(cls),
          f + ": " + entryPoint + " must implement " + expected.getName());
    }
    assertEquals(
        Set.of(
            "dev.fusioncancel.functions.BulkCancelFunction",
            "dev.fusioncancel.functions.CancelHttpFunction"),
        entryPoints);
  }

  @Test
  void functions_setOnlyKnownEnvironmentVariablesAndEveryContractOne() {
    Set<String> known = new TreeSet<>(EnvVars.ALL);
    known.add("JAVA_TOOL_OPTIONS");
    Set<String> required = new TreeSet<>(EnvVars.ALL);
    required.remove(EnvVars.PUBSUB_EMULATOR_HOST);
    for (Block f : resources("google_cloudfunctions2_function")) {
      Object env = path(f.body(), "service_config", "environment_variables");
      assertInstanceOf(
          Map.class, env, f + ": environment_variables must be a literal map (checked here)");
      Set<String> set = new TreeSet<>(map(env).keySet());
      Set<String> unknown = new TreeSet<>(set);
      unknown.removeAll(known);
      assertTrue(unknown.isEmpty(), f + " sets variables the code never reads: " + unknown);
      Set<String> missing = new TreeSet<>(required);
      missing.removeAll(set);
      assertTrue(missing.isEmpty(), f + " does not wire contract variables " + missing);
      assertFalse(
          set.contains(EnvVars.PUBSUB_EMULATOR_HOST),
          f + ": never point a deployment at emulators");
    }
  }

  @Test
  void functions_scaleToZeroAndServeTheLatestRevision() {
    for (Block f : resources("google_cloudfunctions2_function")) {
      Map<String, Object> service = map(f.body().get("service_config"));
      assertEquals(0.0, number(service.get("min_instance_count"), f + " min_instance_count"));
      assertEquals(Boolean.TRUE, service.get("all_traffic_on_latest_revision"), f.toString());
      assertNotNull(service.get("service_account_email"), f + ": needs its own runtime account");
    }
  }

  @Test
  void eventTrigger_retriesPubSubMessagesPublished() {
    List<Block> triggered =
        resources("google_cloudfunctions2_function").stream()
            .filter(f -> f.body().containsKey("event_trigger"))
            .toList();
    assertEquals(1, triggered.size(), "exactly the bulk function is event-triggered");
    Map<String, Object> trigger = map(triggered.get(0).body().get("event_trigger"));
    assertEquals("google.cloud.pubsub.topic.v1.messagePublished", trigger.get("event_type"));
    assertEquals("RETRY_POLICY_RETRY", trigger.get("retry_policy"));
    assertNotNull(trigger.get("service_account_email"), "the trigger needs its own identity");
  }

  @Test
  void source_objectNameCarriesTheArchiveHash() throws IOException {
    List<Block> objects = resources("google_storage_bucket_object");
    assertEquals(1, objects.size(), objects.toString());
    // hcl4j flattens "${data.archive_file.source.output_md5}" to its reference text.
    String name = string(objects.get(0).body().get("name"), "source object name");
    assertTrue(name.contains("data.archive_file.source.output_"), name);
    assertTrue(
        Pattern.compile(
                "name\\s*=\\s*\"[^\"]*\\$\\{data\\.archive_file\\.source\\.output_(md5|sha)")
            .matcher(text(objects.get(0).file()))
            .find(),
        "the object name must interpolate the archive's hash");
    for (Block f : resources("google_cloudfunctions2_function")) {
      assertEquals(
          "google_storage_bucket_object.source.name",
          String.valueOf(path(f.body(), "build_config", "source", "storage_source", "object")),
          f + " must build from the hashed object");
    }
  }

  @Test
  void source_bucketIsPrivate() {
    for (Block b : resources("google_storage_bucket")) {
      assertEquals(Boolean.TRUE, b.body().get("uniform_bucket_level_access"), b.toString());
      assertEquals("enforced", b.body().get("public_access_prevention"), b.toString());
    }
  }

  @Test
  void source_excludesMatchGcloudignore() throws IOException {
    List<Block> archives =
        blocks.stream()
            .filter(b -> b.kind().equals("data") && b.type().equals("archive_file"))
            .toList();
    assertEquals(1, archives.size(), archives.toString());
    Object excludes = archives.get(0).body().get("excludes");
    assertInstanceOf(List.class, excludes, "archive_file excludes must be a literal list or local");
    Set<String> terraform = new TreeSet<>();
    for (Object e : (List<?>) excludes) {
      terraform.add(normalizeIgnore(String.valueOf(e)));
    }
    Set<String> gcloud = new TreeSet<>();
    for (String line : Files.readAllLines(Paths.get(".gcloudignore"))) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("#")) {
        gcloud.add(normalizeIgnore(l));
      }
    }
    assertEquals(gcloud, terraform, ".gcloudignore and the Terraform archive excludes differ");
    for (String needed : List.of("target", "terraform", "src/test", ".git")) {
      assertTrue(gcloud.contains(needed), needed + " must not be uploaded");
    }
  }

  private static String normalizeIgnore(String pattern) {
    String p = pattern.strip();
    p = p.startsWith("/") ? p.substring(1) : p;
    p = p.endsWith("/**") ? p.substring(0, p.length() - 3) : p;
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  // ---------------------------------------------------------------------------------------------
  // IAM
  // ---------------------------------------------------------------------------------------------

  @Test
  void customRole_hasExactlyCancelGetListOnOperationsAndListOnLocations() {
    List<Block> roles = resources("google_project_iam_custom_role");
    assertEquals(1, roles.size(), roles.toString());
    Object permissions = roles.get(0).body().get("permissions");
    assertInstanceOf(List.class, permissions, "permissions must be a literal list");
    List<String> list = ((List<?>) permissions).stream().map(String::valueOf).toList();
    assertEquals(list.size(), new LinkedHashSet<>(list).size(), "duplicate permission: " + list);
    assertEquals(OPERATOR_PERMISSIONS, Set.copyOf(list));
  }

  @Test
  void iam_neverGrantsPublicAccess_inParsedMembers() {
    for (Block b : blocks) {
      if (!b.kind().equals("resource")) {
        continue;
      }
      for (String key : List.of("member", "members")) {
        Object v = b.body().get(key);
        List<?> values = v instanceof List<?> l ? l : v == null ? List.of() : List.of(v);
        for (Object m : values) {
          assertFalse(PUBLIC_MEMBERS.contains(String.valueOf(m)), b + " grants " + m);
        }
      }
    }
  }

  @Test
  void iam_neverGrantsPublicAccess_inRawTextOutsideValidationBlocks() throws IOException {
    for (Path file : files) {
      String outside = withoutValidationBlocks(text(file));
      for (String member : PUBLIC_MEMBERS) {
        assertFalse(
            Pattern.compile("\\b" + member + "\\b").matcher(outside).find(),
            file + " mentions " + member + " outside a validation block");
      }
    }
  }

  @Test
  void iam_memberVariablesRefusePublicPrincipals() {
    for (String name : List.of("http_invoker_members", "request_publisher_members")) {
      Block v = variable(name);
      // hcl4j evaluates conditions to booleans, so the condition expressions are read as text.
      String variableText = blockBody(text(v.file()), "variable\\s+\"" + name + "\"\\s*\\{");
      assertNotNull(variableText, name + " not found in " + v.file());
      Matcher conditions =
          Pattern.compile("(?m)^\\s*condition\\s*=\\s*(.*)$").matcher(variableText);
      StringBuilder all = new StringBuilder();
      while (conditions.find()) {
        all.append(conditions.group(1)).append('\n');
      }
      for (String member : PUBLIC_MEMBERS) {
        assertTrue(
            Pattern.compile("\"" + member + "\"").matcher(all).find(),
            name + " needs a validation condition refusing " + member);
      }
    }
  }

  @Test
  void iam_pubsubPublisherIsGrantedOnTopicsOnly() {
    for (Block b : blocks) {
      if (!b.kind().equals("resource") || b.type().equals("google_pubsub_topic_iam_member")) {
        continue;
      }
      Object role = b.body().get("role");
      assertFalse(
          "roles/pubsub.publisher".equals(role) || "roles/pubsub.editor".equals(role),
          b + ": grant Pub/Sub publisher on a topic (google_pubsub_topic_iam_member)");
    }
    Set<String> topicsWithPublishers =
        resources("google_pubsub_topic_iam_member").stream()
            .filter(b -> "roles/pubsub.publisher".equals(b.body().get("role")))
            .map(b -> String.valueOf(b.body().get("topic")))
            .collect(Collectors.toSet());
    assertTrue(
        topicsWithPublishers.contains("google_pubsub_topic.outcomes.name"),
        "the bulk function must be able to publish outcomes: " + topicsWithPublishers);
    assertTrue(
        topicsWithPublishers.contains("google_pubsub_topic.requests.name"),
        "the bulk function must be able to publish follow-up requests: " + topicsWithPublishers);
  }

  @Test
  void iam_noProjectWideBasicRoles() {
    for (Block b : resources("google_project_iam_member")) {
      Object role = b.body().get("role");
      assertFalse(
          Set.of("roles/owner", "roles/editor", "roles/viewer").contains(String.valueOf(role)),
          b + " grants " + role);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Topics and variables
  // ---------------------------------------------------------------------------------------------

  @Test
  void deadLetterTopic_hasASubscription() {
    Set<String> deadLetterTopics =
        resources("google_pubsub_topic").stream()
            .filter(t -> t.name().contains("dead_letter"))
            .map(t -> "google_pubsub_topic." + t.name() + ".id")
            .collect(Collectors.toSet());
    assertFalse(
        deadLetterTopics.isEmpty(), "no dead-letter topic (google_pubsub_topic.*dead_letter*)");
    Set<String> subscribed =
        resources("google_pubsub_subscription").stream()
            .map(s -> String.valueOf(s.body().get("topic")))
            .collect(Collectors.toSet());
    for (String topic : deadLetterTopics) {
      assertTrue(subscribed.contains(topic), topic + " has no subscription: " + subscribed);
    }
  }

  @Test
  void variables_allHaveTypeAndDescription() {
    List<Block> variables = blocks.stream().filter(b -> b.kind().equals("variable")).toList();
    assertFalse(variables.isEmpty());
    for (Block v : variables) {
      assertNotNull(v.body().get("type"), v + " has no type");
      Object description = v.body().get("description");
      assertTrue(description instanceof String s && !s.isBlank(), v + " has no description");
    }
  }

  @Test
  void variables_runtimeIsValidatedAndDefaultsToJava21() {
    Block runtime = variable("runtime");
    assertEquals("java21", runtime.body().get("default"));
    assertTrue(
        text(runtime.file()).contains("^java(17|21|25)$"), "runtime validation regex missing");
  }

  // ---------------------------------------------------------------------------------------------
  // Syntax: hcl4j accepts broken files, terraform fmt does not.
  // ---------------------------------------------------------------------------------------------

  @Test
  void terraformFmt_passes() throws Exception {
    String terraform = findOnPath("terraform");
    if (terraform == null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("terraform is not on PATH; CI must run `terraform fmt -check -recursive terraform/`");
      }
      Assumptions.abort(
          "terraform not on PATH: skipped `terraform fmt -check` (fails when CI=true)");
    }
    Process p =
        new ProcessBuilder(terraform, "fmt", "-check", "-recursive", "-no-color", "terraform/")
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "terraform fmt timed out");
    assertEquals(
        0,
        p.exitValue(),
        "terraform fmt -check -recursive terraform/ failed (run `terraform fmt -recursive"
            + " terraform/`):\n"
            + output);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------

  /** The text with every {@code validation { ... }} block removed. */
  static String withoutValidationBlocks(String text) {
    StringBuilder out = new StringBuilder();
    Matcher m = Pattern.compile("(?m)^\\s*validation\\s*\\{").matcher(text);
    int from = 0;
    while (m.find(from)) {
      out.append(text, from, m.start());
      from = closingBrace(text, m.end()) + 1;
    }
    return out.append(text.substring(Math.min(from, text.length()))).toString();
  }

  /** The body of the first block whose header (ending in its opening brace) matches, or null. */
  static String blockBody(String text, String headerRegex) {
    Matcher m = Pattern.compile(headerRegex).matcher(text);
    return m.find() ? text.substring(m.end(), closingBrace(text, m.end())) : null;
  }

  /** Index of the brace closing the block opened just before {@code start}; strings respected. */
  private static int closingBrace(String text, int start) {
    int depth = 1;
    boolean inString = false;
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    throw new AssertionError("unbalanced braces after offset " + start);
  }

  private static List<Block> resources(String type) {
    return blocks.stream()
        .filter(b -> b.kind().equals("resource") && b.type().equals(type))
        .toList();
  }

  /** A variable of the module itself (examples pass theirs on to it). */
  private static Block variable(String name) {
    return blocks.stream()
        .filter(b -> b.kind().equals("variable") && b.type().equals(name))
        .filter(b -> TERRAFORM.equals(b.file().getParent()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("variable " + name + " missing"));
  }

  private static Object path(Map<String, Object> body, String... keys) {
    Object cur = body;
    for (String k : keys) {
      if (!(cur instanceof Map<?, ?> m)) {
        return null;
      }
      cur = m.get(k);
    }
    return cur;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    if (o instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    if (o instanceof List<?> l && l.size() == 1 && l.get(0) instanceof Map<?, ?>) {
      return map(l.get(0));
    }
    return o == null ? Map.of() : new LinkedHashMap<>();
  }

  private static String string(Object o, String what) {
    assertInstanceOf(String.class, o, what + " must be a literal string");
    return (String) o;
  }

  private static double number(Object o, String what) {
    assertInstanceOf(Number.class, o, what + " must be a literal number");
    return ((Number) o).doubleValue();
  }

  private static String text(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String findOnPath(String binary) {
    String path = Objects.requireNonNullElse(System.getenv("PATH"), "");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Paths.get(dir, binary);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
