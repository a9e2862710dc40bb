package dev.fusioncancel.testing;

import java.util.stream.Stream;

/**
 * The one table of query strings for the drop-in path and the emulator alike: every documented
 * spelling of Google's system parameters (accepted, never forwarded) and what must stay refused.
 */
public final class SystemParameterCases {
  private SystemParameterCases() {}

  /** Raw queries made only of system parameters, as clients send them. */
  public static Stream<String> accepted() {
    return Stream.of(
        "alt=json",
        "$alt=json",
        "%24alt=json",
        "alt=json;enum-encoding=int",
        "$alt=json;enum-encoding=int",
        "%24alt=json%3Benum-encoding%3Dint",
        "$.xgafv=2",
        "%24.xgafv=1",
        "prettyPrint=false",
        "$prettyPrint=true",
        "%24prettyPrint=false",
        "p%72ettyPrint=0",
        "fields=name,done",
        "$fields=name",
        "key=AIzaSyExample",
        "access_token=ya29.example",
        "oauth_token=ya29.example",
        "quotaUser=team-a",
        "$quotaUser=team-a",
        "callback=cb",
        "$callback=cb",
        "upload_protocol=raw",
        "uploadType=media",
        "userIp=192.0.2.1",
        "alt=json&$.xgafv=2&prettyPrint=false&quotaUser=a&fields=*",
        "&alt=json&&");
  }

  /** Raw queries that must still be refused with 400 INVALID_ARGUMENT. */
  public static Stream<String> refused() {
    return Stream.of(
        "bogus=1",
        "force=true",
        "$bogus=1",
        "%24bogus=1",
        "$access_token=x",
        "$$alt=json",
        "ALT=json",
        "alt=proto",
        "alt=media",
        "$alt=xml",
        "alt=",
        "alt",
        "$.xgafv=3",
        "prettyPrint=maybe",
        "alt=json&requestId=7");
  }
}
