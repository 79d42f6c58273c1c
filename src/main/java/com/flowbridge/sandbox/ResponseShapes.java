package com.flowbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.flowbridge.sandbox.FlowEndpoint.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Decides, per endpoint, whether a successful JSON answer goes out bare or wrapped in {"code":200,"data":...}. */
final class ResponseShapes {

    private final Map<FlowEndpoint, Shape> perEndpoint = new ConcurrentHashMap<>();
    private volatile Shape global = Shape.DEFAULT;

    /** Sets the shape of one endpoint, or of all when {@code endpoint} is null (which drops per-endpoint ones). */
    void set(FlowEndpoint endpoint, Shape shape) {
        if (endpoint == null) {
            perEndpoint.clear();
            global = shape;
        } else if (shape == Shape.DEFAULT) {
            perEndpoint.remove(endpoint);
        } else {
            perEndpoint.put(endpoint, shape);
        }
    }

    void reset() {
        set(null, Shape.DEFAULT);
    }

    Answer ok(FlowEndpoint endpoint, JsonNode data) {
        Shape shape = perEndpoint.getOrDefault(endpoint, global == Shape.DEFAULT ? endpoint.defaultShape() : global);
        return Answer.json(200, shape == Shape.WRAPPED ? Json.object().put("code", 200).set("data", data) : data);
    }
}
