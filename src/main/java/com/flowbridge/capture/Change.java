package com.flowbridge.capture;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One change of one FLOW entity, as it will be published: the entity kind (session, registrant, operator),
 * the operation, the Kafka key, and the document before and after (null where Debezium has null).
 *
 * @param scope the part of the key that groups entities (a registrant's session token), empty for none
 * @param id    the entity's own identity within its scope (a session token, a normalised email)
 */
public record Change(String entity, Op op, String scope, String id, ObjectNode before, ObjectNode after) {

    public String key() {
        return key(scope, id);
    }

    public static String key(String scope, String id) {
        return scope.isEmpty() ? id : scope + ":" + id;
    }

    /** The CloudEvents type, e.g. {@code flow.session.created}. */
    public String type() {
        return "flow." + entity + "." + op.verb();
    }
}
