package dev.fusioncancel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fusioncancel.testing.Tools;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Data Fusion emulator is test code: neither what a deployment uploads (what {@code
 * .gcloudignore} keeps for {@code gcloud functions deploy --source .}, and what Terraform's source
 * archive keeps after {@code local.source_excludes}) nor what the functions run with ({@code
 * target/classes}, the runtime-scope dependencies, the main jar) holds an emulator class or source.
 */
class DeployContentIT {
  private static final String EMULATOR = "dev/fusioncancel/emulator";
  private static final Path ROOT = Path.of("").toAbsolutePath();

  @Test
  void gcloudUpload_keepsOnlyPomAndSrcMain_andNoEmulatorSource() throws IOException {
    List<String> patterns = new ArrayList<>();
    for (String line : Files.readAllLines(ROOT.resolve(".gcloudignore"))) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("#")) {
        patterns.add(l);
      }
    }
    assertUploadIsOnlyTheBuild(kept(p -> gcloudIgnores(patterns, p)), ".gcloudignore");
  }

  @Test
  void terraformArchive_keepsOnlyPomAndSrcMain_andNoEmulatorSource() throws IOException {
    String main = Files.readString(ROOT.resolve("terraform/main.tf"));
    Matcher m = Pattern.compile("source_excludes\\s*=\\s*\\[([^\\]]*)\\]").matcher(main);
    assertTrue(m.find(), "terraform/main.tf has no local.source_excludes list");
    List<String> patterns = new ArrayList<>();
    Matcher q = Pattern.compile("\"([^\"]+)\"").matcher(m.group(1));
    while (q.find()) {
      patterns.add(q.group(1));
    }
    assertTrue(
        main.contains("excludes         = local.source_excludes")
            || main.matches("(?s).*excludes\\s*=\\s*local\\.source_excludes.*"),
        "the archive uses local.source_excludes");
    assertUploadIsOnlyTheBuild(kept(p -> terraformExcludes(patterns, p)), "source_excludes");
  }

  @Test
  void runtimeClasspathAndMainJar_holdNoEmulatorClass() throws Exception {
    Path classes = ROOT.resolve("target/classes");
    assertTrue(Files.isDirectory(classes.resolve("dev/fusioncancel/functions")), "built classes");
    assertFalse(Files.exists(classes.resolve(EMULATOR)), "target/classes has the emulator");

    for (String entry : runtimeClasspath()) {
      Path p = Path.of(entry);
      if (Files.isRegularFile(p)) {
        assertFalse(p.getFileName().toString().contains("testlib"), "testlib on the runtime: " + p);
        assertNoEmulatorEntry(p);
      }
    }
    Path mainJar;
    try (Stream<Path> s = Files.list(ROOT.resolve("target"))) {
      mainJar =
          s.filter(p -> p.getFileName().toString().matches("fusion-cancel-[^-]+(-SNAPSHOT)?\\.jar"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no main jar in target/ (run package)"));
    }
    assertNoEmulatorEntry(mainJar);

    Path testlib = Path.of(mainJar.toString().replace(".jar", "-testlib.jar"));
    try (JarFile jar = new JarFile(testlib.toFile())) {
      assertTrue(
          jar.stream().anyMatch(e -> e.getName().startsWith(EMULATOR + "/FusionEmulator")),
          "the emulator is published in the testlib jar");
    }
  }

  /** What the function-maven-plugin and the deployed build run with: the runtime scope. */
  private static List<String> runtimeClasspath() throws Exception {
    Path out = Files.createTempFile("runtime-classpath", ".txt");
    String mvn = Tools.require("mvn", "the runtime classpath check");
    Process p =
        new ProcessBuilder(
                mvn,
                "-q",
                "-B",
                "dependency:build-classpath",
                "-Dmdep.includeScope=runtime",
                "-Dmdep.outputFile=" + out)
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "mvn dependency:build-classpath timed out");
    assertEquals(0, p.exitValue(), log);
    List<String> entries = new ArrayList<>(List.of(ROOT.resolve("target/classes").toString()));
    for (String e : Files.readString(out).strip().split(File.pathSeparator)) {
      if (!e.isBlank()) {
        entries.add(e);
      }
    }
    assertTrue(entries.stream().anyMatch(e -> e.contains("gson")), entries.toString());
    return entries;
  }

  private static void assertNoEmulatorEntry(Path jarPath) throws IOException {
    try (JarFile jar = new JarFile(jarPath.toFile())) {
      List<String> found =
          jar.stream().map(e -> e.getName()).filter(n -> n.contains(EMULATOR)).toList();
      assertEquals(List.of(), found, jarPath + " holds emulator entries");
    }
  }

  private static void assertUploadIsOnlyTheBuild(List<String> kept, String rules)
      throws IOException {
    assertTrue(kept.contains("pom.xml"), rules + " must keep pom.xml: " + kept);
    assertTrue(
        kept.contains("src/main/java/dev/fusioncancel/functions/CancelHttpFunction.java"),
        rules + " must keep src/main");
    for (String path : kept) {
      assertTrue(
          path.equals("pom.xml") || path.startsWith("src/main/"),
          rules + " uploads " + path + " (only pom.xml and src/main belong in a deployment)");
      assertFalse(path.contains(EMULATOR), rules + " uploads emulator source " + path);
      if (path.endsWith(".java")) {
        String text = Files.readString(ROOT.resolve(path));
        assertFalse(text.contains("package dev.fusioncancel.emulator"), rules + " uploads " + path);
      }
    }
  }

  /** Every file under the repository root that the rules keep, as a '/'-separated path. */
  private static List<String> kept(java.util.function.Predicate<String> excluded)
      throws IOException {
    List<String> out = new ArrayList<>();
    walk(ROOT, "", excluded, out);
    return out;
  }

  private static void walk(
      Path dir, String prefix, java.util.function.Predicate<String> excluded, List<String> out)
      throws IOException {
    List<Path> children;
    try (Stream<Path> s = Files.list(dir)) {
      children = s.sorted().toList();
    }
    for (Path child : children) {
      String rel = prefix + child.getFileName();
      boolean directory = Files.isDirectory(child);
      if (excluded.test(directory ? rel + "/" : rel)) {
        continue;
      }
      if (directory) {
        walk(child, rel + "/", excluded, out);
      } else {
        out.add(rel);
      }
    }
  }

  /**
   * gitignore semantics as gcloud applies them: a pattern with an inner slash is anchored at the
   * root, one without matches a name at any depth; a trailing slash matches directories only.
   */
  static boolean gcloudIgnores(List<String> patterns, String path) {
    boolean directory = path.endsWith("/");
    String p = directory ? path.substring(0, path.length() - 1) : path;
    String name = p.substring(p.lastIndexOf('/') + 1);
    boolean ignored = false;
    for (String raw : patterns) {
      boolean negate = raw.startsWith("!");
      String pat = negate ? raw.substring(1) : raw;
      boolean dirOnly = pat.endsWith("/");
      if (dirOnly) {
        pat = pat.substring(0, pat.length() - 1);
      }
      if (dirOnly && !directory) {
        continue;
      }
      boolean anchored = pat.contains("/");
      if (pat.startsWith("/")) {
        pat = pat.substring(1);
      }
      if (glob(pat, anchored ? p : name)) {
        ignored = !negate;
      }
    }
    return ignored;
  }

  /** Terraform's archive_file: a glob over the path from the source directory. */
  static boolean terraformExcludes(List<String> patterns, String path) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return patterns.stream().anyMatch(pat -> glob(pat, p));
  }

  /** {@code *} and {@code ?} within one path segment, {@code **} across segments. */
  static boolean glob(String pattern, String text) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
        re.append(".*");
        i++;
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return text.matches(re.toString());
  }
}
