package com.flowbridge.flow;

/** FLOW answered 2xx with something that is not the JSON it should be. */
public class FlowAnswerException extends RuntimeException {

    public FlowAnswerException(String message) {
        super(message);
    }
}
