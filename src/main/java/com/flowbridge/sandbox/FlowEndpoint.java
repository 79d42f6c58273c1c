package com.flowbridge.sandbox;

import java.util.Arrays;

/**
 * The FLOW API endpoints that answer JSON, each with the shape it has by default: FLOW may answer a bare
 * array/object or wrap it as {@code {"code":200,"data":...}}, and the product must handle both.
 */
public enum FlowEndpoint {
    EVENTS_LIST("eventsList", Shape.WRAPPED),
    EVENT_INFO("eventInfo", Shape.BARE),
    REGISTRATION("registration", Shape.WRAPPED),
    EVENT_CREATION("eventCreation", Shape.WRAPPED),
    REGISTRANT_LIST("registrantList", Shape.BARE),
    SURVEYS("surveys", Shape.BARE),
    OPERATORS("operators", Shape.BARE),
    COMPILED_REPORT("compiledReport", Shape.BARE);

    /** How a successful JSON answer is laid out; {@code DEFAULT} means "as the endpoint does by default". */
    public enum Shape {
        BARE, WRAPPED, DEFAULT;

        public static Shape named(String name) {
            return Arrays.stream(values()).filter(shape -> shape.name().equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> ApiError.badRequest("shape must be bare, wrapped or default"));
        }
    }

    private final String jsonName;
    private final Shape defaultShape;

    FlowEndpoint(String jsonName, Shape defaultShape) {
        this.jsonName = jsonName;
        this.defaultShape = defaultShape;
    }

    /** The endpoint's name in the control API, e.g. {@code eventsList}. */
    public String jsonName() {
        return jsonName;
    }

    Shape defaultShape() {
        return defaultShape;
    }

    public static FlowEndpoint named(String jsonName) {
        return Arrays.stream(values()).filter(endpoint -> endpoint.jsonName.equals(jsonName)).findFirst()
                .orElseThrow(() -> ApiError.badRequest("Unknown endpoint " + jsonName + "; one of "
                        + Arrays.stream(values()).map(FlowEndpoint::jsonName).toList()));
    }
}
