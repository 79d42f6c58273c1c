package com.flowbridge.signal;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.command.FieldError;

/**
 * One signal, as read from flow-bridge.signals or POST /signals: {@code {"id", "type", "data"}}, in Debezium's shape.
 *
 * @param id     the signal's id: its notifications' key ({@code <topic>/<partition>/<offset>} for one without a usable id)
 * @param type   {@code execute-snapshot} or {@code redrive}
 * @param data   the signal's data, as sent
 * @param errors what is wrong with it, each naming its field: a signal with any is not carried out (ABORTED)
 */
public record Signal(String id, String type, ObjectNode data, List<FieldError> errors) {

    public boolean valid() {
        return errors.isEmpty();
    }

    /** Why it is not carried out, naming each bad field: {@code data.data-collections[1] 'surveys' is not ...}. */
    public String problem() {
        return FieldError.describe(errors);
    }
}
