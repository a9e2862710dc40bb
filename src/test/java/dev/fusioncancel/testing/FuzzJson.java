package dev.fusioncancel.testing;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.google.gson.JsonPrimitive;
import java.util.function.Function;

/**
 * Builds mostly-valid JSON text from fuzzer bytes: objects with the fields a parser knows (values
 * of the right type most of the time), now and then a duplicate, an unknown field, a wrong type or
 * broken syntax, so the fuzzer explores what lies behind the first token.
 */
public final class FuzzJson {
  private static final String[] NUMBERS = {
    "0",
    "1",
    "-1",
    "500",
    "1000",
    "10000",
    "10001",
    "1.0",
    "1.5",
    "1e3",
    "1e400",
    "-0",
    "2147483648",
    "99999999999999999999",
    "1E-400",
    "0x10",
    "01",
    "NaN"
  };
  private static final String[] BREAKS = {"", ",", "}", "]", "{", "[", ":", "\"", "//", "'", "\\"};

  private FuzzJson() {}

  /** A JSON string literal for {@code s}: escaped, or now and then raw (possibly invalid). */
  public static String string(FuzzedDataProvider d, String s) {
    return d.consumeInt(0, 15) == 0 ? "\"" + s + "\"" : new JsonPrimitive(s).toString();
  }

  /** Any JSON value, nested at most {@code depth} levels, made of the given keys and strings. */
  public static String value(FuzzedDataProvider d, int depth, String[] keys, String[] strings) {
    int kind = d.consumeInt(0, depth <= 0 ? 4 : 6);
    return switch (kind) {
      case 0 -> string(d, d.consumeBoolean() ? d.pickValue(strings) : d.consumeString(30));
      case 1 -> d.pickValue(NUMBERS);
      case 2 -> d.pickValue(new String[] {"true", "false", "null"});
      case 3 -> d.pickValue(BREAKS);
      case 4 -> string(d, d.pickValue(strings));
      case 5 -> {
        StringBuilder sb = new StringBuilder("[");
        int n = d.consumeInt(0, 4);
        for (int i = 0; i < n; i++) {
          sb.append(i == 0 ? "" : ",").append(value(d, depth - 1, keys, strings));
        }
        yield sb.append("]").toString();
      }
      default -> object(d, keys, dd -> value(dd, depth - 1, keys, strings));
    };
  }

  /**
   * An object with a subset of {@code keys} (now and then one repeated, misspelt or unknown), each
   * value made by {@code valueFor}.
   */
  public static String object(
      FuzzedDataProvider d, String[] keys, Function<FuzzedDataProvider, String> valueFor) {
    return members(d, keys, (dd, key) -> valueFor.apply(dd));
  }

  /** As {@link #object}, with the value chosen for its key. */
  public static String members(
      FuzzedDataProvider d,
      String[] keys,
      java.util.function.BiFunction<FuzzedDataProvider, String, String> valueFor) {
    StringBuilder sb = new StringBuilder(d.consumeInt(0, 30) == 0 ? " { " : "{");
    java.util.List<String> chosen = new java.util.ArrayList<>();
    for (String key : keys) {
      if (d.consumeBoolean()) {
        chosen.add(key);
      }
    }
    int extra = d.consumeInt(0, 7) == 0 ? d.consumeInt(1, 2) : 0;
    for (int i = 0; i < extra; i++) {
      String key =
          switch (d.consumeInt(0, 2)) {
            case 0 -> d.consumeString(12);
            case 1 -> d.pickValue(keys).toUpperCase(java.util.Locale.ROOT);
            default -> d.pickValue(keys); // a duplicate, or a field out of order
          };
      chosen.add(d.consumeInt(0, chosen.size()), key);
    }
    for (int i = 0; i < chosen.size(); i++) {
      String key = chosen.get(i);
      sb.append(i == 0 ? "" : d.consumeInt(0, 40) == 0 ? "" : ",")
          .append(string(d, key))
          .append(d.consumeInt(0, 40) == 0 ? "" : ":")
          .append(valueFor.apply(d, key));
    }
    if (d.consumeInt(0, 30) == 0) {
      sb.append(",");
    }
    sb.append("}");
    if (d.consumeInt(0, 30) == 0) {
      sb.append(d.pickValue(BREAKS));
    }
    return sb.toString();
  }
}
