package com.diotec360.lattice.embedded;

import com.diotec360.lattice.embedded.read.ReadDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;

/**
 * The mock's CRUD store, with the discovery documents answered first. Without this, {@code GET /api}
 * and {@code /apis} would be read as "list everything stored" and kubectl would give up.
 */
class DiscoveryDispatcher extends ReadDispatcher {

  private final DiscoveryDocuments discovery;

  DiscoveryDispatcher(DiscoveryDocuments discovery) {
    super(List.of());
    this.discovery = discovery;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    if ("GET".equalsIgnoreCase(request.getMethod())) {
      var document = discovery.at(path, request.getHeader("User-Agent"));
      if (document.isPresent()) {
        return new MockResponse()
            .setResponseCode(200)
            .setHeader("Content-Type", "application/json")
            .setBody(document.get());
      }
      if (DiscoveryDocuments.isOpenApi(path)) {
        var openApi = discovery.openApi().answer(path, request.getHeader("Accept"));
        return openApi.isPresent()
            ? new MockResponse().setResponseCode(200).setHeader("Content-Type", openApi.get().contentType())
                .setBody(openApi.get().body())
            : new MockResponse().setResponseCode(404).setHeader("Content-Type", "application/json")
                .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\","
                    + "\"code\":404,\"message\":\"the server could not find the requested resource\"}");
      }
    }
    return super.dispatch(request);
  }
}
