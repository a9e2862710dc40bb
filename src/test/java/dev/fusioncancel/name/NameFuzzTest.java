package dev.fusioncancel.name;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fusioncancel.config.Config;
import dev.fusioncancel.config.ConfigException;
import dev.fusioncancel.testing.FuzzText;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzzing of every name parser: operation names, parents and {@code
 * ALLOWED_PARENTS}. Each input is either refused with {@link InvalidNameException} (or, for
 * configuration, {@link ConfigException} naming the variable) or accepted exactly as the contract
 * describes; any other exception is a finding. Seeds: {@code NameFuzzTestInputs/<method>/}.
 */
class NameFuzzTest {
  /** The contract's rules, written independently of {@link NameRules}: what may be accepted. */
  private static final String PROJECT =
      "(?:(?:[a-z0-9-]+\\.)+[a-z]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]|[1-9][0-9]*";

  private static final String LOCATION = "[a-z][a-z0-9-]*";
  private static final Pattern OPERATION_NAME =
      Pattern.compile(
          "projects/("
              + PROJECT
              + ")/locations/"
              + LOCATION
              + "/operations/[A-Za-z0-9_.~-]{1,128}");
  private static final Pattern LOCATION_NAME =
      Pattern.compile("projects/(" + PROJECT + ")/locations/" + LOCATION);

  /** Names every implementation must accept: the contract's plain forms, within its limits. */
  private static final Pattern PLAIN_PROJECT =
      Pattern.compile(
          "[a-z][a-z0-9-]{4,28}[a-z0-9]|[a-z]{1,20}\\.[a-z]{2,10}:[a-z][a-z0-9-]{4,28}[a-z0-9]|[1-9][0-9]{0,17}");

  private static final Pattern PLAIN_LOCATION = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  private static final String[] ENDPOINTS = {
    "https://datafusion.googleapis.com", "http://127.0.0.1:8090", "http://[::1]:9"
  };

  @FuzzTest(maxDuration = "30s")
  void operationName_isRefusedOrFormsExactlyTheCancelUrl(FuzzedDataProvider data) {
    String endpoint = data.pickValue(ENDPOINTS);
    String version = data.pickValue(new String[] {"v1", "v1beta1"});
    String input =
        data.consumeBoolean() ? FuzzText.operationName(data) : data.consumeRemainingAsString();
    OperationName name;
    try {
      name = OperationName.parse(input);
    } catch (InvalidNameException refused) {
      assertFalse(mustAccept(input), () -> "a contract name was refused: " + input);
      return;
    }
    assertEquals(input, name.toString(), "an accepted name is used exactly as given");
    assertTrue(input.length() <= 512, "over-long names are refused");
    assertTrue(
        OPERATION_NAME.matcher(input).matches(), () -> "accepted outside the rules: " + input);
    assertFalse(name.operation().equals(".") || name.operation().equals(".."));
    assertEquals(name, OperationName.parse(name.toString()));
    assertEquals(name.parent(), LocationName.parse(name.parent().toString()));

    // The cancel URL, built as the client builds it, is exactly {endpoint}/{version}/{name}:cancel:
    // no name can add a query, a fragment, user info, a dot segment, an escape or another host.
    URI base = URI.create(endpoint);
    URI url = URI.create(endpoint + "/" + version + "/" + name + ":cancel");
    assertEquals(base.getScheme(), url.getScheme());
    assertEquals(base.getHost(), url.getHost());
    assertEquals(base.getPort(), url.getPort());
    assertNull(url.getRawUserInfo());
    assertNull(url.getRawQuery());
    assertNull(url.getRawFragment());
    assertEquals("/" + version + "/" + input + ":cancel", url.getRawPath());
    assertEquals(url.getRawPath(), url.getPath(), "nothing percent-decodes differently");
    assertEquals(url, url.normalize(), "no dot segment the server could collapse");
  }

  @FuzzTest(maxDuration = "30s")
  void locationName_isRefusedOrRoundTrips(FuzzedDataProvider data) {
    String input =
        data.consumeBoolean() ? FuzzText.locationName(data) : data.consumeRemainingAsString();
    LocationName name;
    try {
      name = LocationName.parse(input);
    } catch (InvalidNameException refused) {
      assertFalse(mustAcceptParent(input), () -> "a contract parent was refused: " + input);
      return;
    }
    assertEquals(input, name.toString());
    assertTrue(
        LOCATION_NAME.matcher(input).matches(), () -> "accepted outside the rules: " + input);
    assertEquals(name, LocationName.parse(name.toString()));
  }

  /**
   * {@code ALLOWED_PARENTS}: a bad list fails configuration with the variable named; a good one
   * allows exactly the locations some entry covers.
   */
  @FuzzTest(maxDuration = "30s")
  void allowedParents_isRefusedNamingTheVariable_orAllowsExactlyWhatAnEntryCovers(
      FuzzedDataProvider data) {
    List<String> entries = new ArrayList<>();
    int n = data.consumeInt(0, 4);
    for (int i = 0; i < n; i++) {
      String project = data.consumeInt(0, 3) == 0 ? "*" : FuzzText.segment(data, FuzzText.PROJECTS);
      String location =
          data.consumeInt(0, 3) == 0 ? "*" : FuzzText.segment(data, FuzzText.LOCATIONS);
      String entry =
          data.consumeInt(0, 7) == 0
              ? FuzzText.segment(data, FuzzText.HOSTILE)
              : FuzzText.literal(data, "projects") + "/" + project + "/locations/" + location;
      entries.add(data.pickValue(new String[] {"", " ", "\t"}) + entry);
    }
    String list = String.join(data.pickValue(new String[] {",", ", ", ",,"}), entries);
    LocationName probe =
        new LocationName(data.pickValue(FuzzText.PROJECTS), data.pickValue(FuzzText.LOCATIONS));

    List<ParentPattern> patterns;
    try {
      patterns = ParentPattern.parseList(list);
    } catch (InvalidNameException refused) {
      ConfigException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              ConfigException.class, () -> Config.from(Map.of("ALLOWED_PARENTS", list)));
      assertEquals("ALLOWED_PARENTS", e.variable());
      return;
    }
    boolean covered = false;
    int nonBlank = 0;
    for (String part : list.split(",", -1)) {
      String p = part.replaceAll("^[ \t\r\n]+|[ \t\r\n]+$", "");
      if (p.isEmpty()) {
        continue;
      }
      nonBlank++;
      String[] s = p.split("/", -1);
      covered |=
          (s[1].equals("*") || s[1].equals(probe.project()))
              && (s[3].equals("*") || s[3].equals(probe.location()));
    }
    assertEquals(nonBlank, patterns.size(), "one pattern per non-blank entry");
    for (ParentPattern p : patterns) {
      assertEquals(p, ParentPattern.parse(p.toString()), "a pattern round-trips");
    }
    boolean allowed = Config.from(Map.of("ALLOWED_PARENTS", list)).allows(probe);
    assertEquals(patterns.isEmpty() || covered, allowed, () -> list + " vs " + probe);
    assertEquals(allowed, ParentPattern.allows(patterns, probe));
  }

  private static boolean mustAccept(String input) {
    String[] s = input.split("/", -1);
    return s.length == 6
        && s[0].equals("projects")
        && s[2].equals("locations")
        && s[4].equals("operations")
        && PLAIN_PROJECT.matcher(s[1]).matches()
        && PLAIN_LOCATION.matcher(s[3]).matches()
        && s[5].matches("[A-Za-z0-9_.~-]{1,128}")
        && !s[5].equals(".")
        && !s[5].equals("..");
  }

  private static boolean mustAcceptParent(String input) {
    String[] s = input.split("/", -1);
    return s.length == 4
        && s[0].equals("projects")
        && s[2].equals("locations")
        && PLAIN_PROJECT.matcher(s[1]).matches()
        && PLAIN_LOCATION.matcher(s[3]).matches();
  }
}
