package dev.fusioncancel.client;

import java.util.List;

/** One page of {@code operations.list}; {@code nextPageToken} is null on the last page. */
public record OperationPage(List<Operation> operations, String nextPageToken) {
  public OperationPage {
    operations = List.copyOf(operations);
    nextPageToken = nextPageToken == null || nextPageToken.isEmpty() ? null : nextPageToken;
  }
}
