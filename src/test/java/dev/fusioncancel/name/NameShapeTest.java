package dev.fusioncancel.name;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shape rules every name type shares: literals, length, characters, and what the refusal says.
 */
class NameShapeTest {
  private static final String OP = "projects/my-project/locations/us-central1/operations/";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "project/my-project/locations/l/operations/o|segment 1 must be 'projects'",
        "projects/my-project/location/l/operations/o|segment 3 must be 'locations'",
        "projects/my-project/locations/l/operation/o|segment 5 must be 'operations'"
      })
  void operationName_eachLiteralSegment_isChecked_andNamedInTheRefusal(String name, String why) {
    InvalidNameException e =
        assertThrows(InvalidNameException.class, () -> OperationName.parse(name));
    assertTrue(e.getMessage().startsWith(why), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "project/my-project/locations/l|segment 1 must be 'projects'",
        "projects/my-project/zones/l|segment 3 must be 'locations'"
      })
  void locationAndPattern_eachLiteralSegment_isChecked(String name, String why) {
    InvalidNameException e =
        assertThrows(InvalidNameException.class, () -> LocationName.parse(name));
    assertTrue(e.getMessage().startsWith(why), e.getMessage());
    String pattern = name.replace("my-project", "*");
    e = assertThrows(InvalidNameException.class, () -> ParentPattern.parse(pattern));
    assertTrue(e.getMessage().startsWith(why), e.getMessage());
  }

  @Test
  void names_ofExactlyTheMaximumLength_areAccepted_oneMoreIsRefused() {
    String location = "l" + "0".repeat(62);
    String op = "o".repeat(128);
    // 512 - "projects//locations//operations/" - 63 - 128 = 289 characters of domain-scoped
    // project.
    String project =
        String.join(
                ".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(63), "e".repeat(18))
            + ".com:my-project";
    String name = "projects/" + project + "/locations/" + location + "/operations/" + op;
    assertEquals(NameRules.MAX_NAME_LENGTH, name.length(), "test setup");
    assertEquals(name, OperationName.parse(name).toString());
    InvalidNameException e =
        assertThrows(InvalidNameException.class, () -> OperationName.parse("a" + name));
    assertTrue(e.getMessage().startsWith("name is 513 characters long"), e.getMessage());
  }

  @Test
  void aControlCharacter_isRefusedNamingItsIndex_whileAPrintableOneFailsItsSegment() {
    InvalidNameException control =
        assertThrows(InvalidNameException.class, () -> OperationName.parse(OP + "a\u0000"));
    assertTrue(
        control.getMessage().contains("character at index " + (OP.length() + 1)),
        control.getMessage());
    InvalidNameException space =
        assertThrows(InvalidNameException.class, () -> OperationName.parse(OP + " "));
    assertTrue(space.getMessage().contains("whitespace, control or non-ASCII"), space.getMessage());
    InvalidNameException del =
        assertThrows(InvalidNameException.class, () -> OperationName.parse(OP + "\u007f"));
    assertTrue(del.getMessage().contains("whitespace, control or non-ASCII"), del.getMessage());
    InvalidNameException bang =
        assertThrows(InvalidNameException.class, () -> OperationName.parse(OP + "!"));
    assertTrue(bang.getMessage().startsWith("invalid operation id '!'"), bang.getMessage());
    assertEquals("~", OperationName.parse(OP + "~").operation());
  }

  @Test
  void parentPattern_toStringAndMatching() {
    ParentPattern any = ParentPattern.parse("projects/*/locations/*");
    assertEquals("projects/*/locations/*", any.toString());
    assertEquals(List.of(any), ParentPattern.parseList("projects/*/locations/*"));
    LocationName l = LocationName.parse("projects/proj-a/locations/us-east1");
    assertEquals("projects/proj-a/locations/us-east1", l.toString());
    assertTrue(any.matches(l));
    assertFalse(ParentPattern.parse("projects/proj-b/locations/*").matches(l));
    assertFalse(ParentPattern.parse("projects/*/locations/us-west1").matches(l));
  }

  @Test
  void allowsSomeLocationOf_isTrueForNoPatterns_aWildcardProject_orThatProjectOnly() {
    ProjectName p = new ProjectName("proj-a");
    assertTrue(ParentPattern.allowsSomeLocationOf(List.of(), p));
    assertTrue(
        ParentPattern.allowsSomeLocationOf(ParentPattern.parseList("projects/*/locations/l"), p));
    assertTrue(
        ParentPattern.allowsSomeLocationOf(
            ParentPattern.parseList("projects/proj-a/locations/l"), p));
    assertFalse(
        ParentPattern.allowsSomeLocationOf(
            ParentPattern.parseList("projects/proj-b/locations/*"), p));
  }

  @Test
  void projectName_ofWildcardParent_onlyForTheWildcardShape() {
    assertEquals(
        Optional.of(new ProjectName("proj-a")),
        ProjectName.ofWildcardParent("projects/proj-a/locations/-"));
    assertEquals(Optional.empty(), ProjectName.ofWildcardParent("projects/proj-a/locations/l"));
    assertEquals(Optional.empty(), ProjectName.ofWildcardParent(null));
    assertThrows(
        InvalidNameException.class,
        () -> ProjectName.ofWildcardParent("project/proj-a/locations/-"));
    assertThrows(
        InvalidNameException.class,
        () -> ProjectName.ofWildcardParent("projects/proj-a/zones/locations/-"));
    assertThrows(
        InvalidNameException.class,
        () -> ProjectName.ofWildcardParent("projects/Proj/locations/-"));
    ProjectName p = new ProjectName("proj-a");
    assertEquals("projects/proj-a", p.toString());
    assertEquals("projects/proj-a/locations/-", p.wildcardParent());
    assertEquals(LocationName.parse("projects/proj-a/locations/l"), p.location("l"));
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"-", "US", "1us", "", "us_central1"})
  void locationName_refusesAnInvalidLocation_soTheWildcardIsNeverALocation(String location) {
    assertThrows(InvalidNameException.class, () -> new LocationName("my-project", location));
    assertThrows(
        InvalidNameException.class,
        () -> LocationName.parse("projects/my-project/locations/" + location));
  }
}
