package com.flowbridge.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One session's registrants, identified by email (trimmed, case-insensitive, as FLOW does): first the
 * generated ones in order, then those added since. Generated registrants are kept only once changed or
 * removed. Not thread-safe: {@link SessionStore} guards it. Returns copies, never its own nodes.
 */
final class Registrants {

    private final LoginLinks loginLinks;
    private final GeneratedRegistrants generated;
    private final Map<Integer, ObjectNode> changedGenerated = new HashMap<>();
    private final BitSet removedGenerated = new BitSet();
    private final Map<String, ObjectNode> added = new LinkedHashMap<>();

    Registrants(LoginLinks loginLinks, GeneratedRegistrants generated) {
        this.loginLinks = loginLinks;
        this.generated = generated;
    }

    static String key(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    Optional<ObjectNode> find(String email) {
        return stored(key(email)).map(ObjectNode::deepCopy);
    }

    /**
     * Adds a registrant, or replaces the one with the same email. A registrant without registrationDate or
     * loginUrl gets them, as FLOW gives every registrant both.
     */
    ObjectNode put(ObjectNode registrant) {
        ObjectNode copy = registrant.deepCopy();
        if (!copy.hasNonNull("registrationDate")) {
            copy.put("registrationDate", Instant.now().toString());
        }
        if (!copy.hasNonNull("loginUrl")) {
            copy.put("loginUrl", loginLinks.random());
        }
        store(key(Json.requiredText(copy, "email")), copy);
        return copy.deepCopy();
    }

    /** Merges fields into a registrant (a null value removes the field); its email cannot change. */
    ObjectNode patch(String email, ObjectNode fields) {
        String key = key(email);
        ObjectNode patched = Json.mergePatch(stored(key).orElseThrow(() -> notFound(email)).deepCopy(), fields);
        if (!patched.hasNonNull("email") || !key(patched.get("email").asText()).equals(key)) {
            throw ApiError.badRequest("email cannot be changed; remove the registrant and add another");
        }
        store(key, patched);
        return patched.deepCopy();
    }

    void remove(String email) {
        String key = key(email);
        int index = generated.indexOf(key);
        if (stored(key).isEmpty()) {
            throw notFound(email);
        } else if (index >= 0) {
            removedGenerated.set(index);
            changedGenerated.remove(index);
        } else {
            added.remove(key);
        }
    }

    List<ObjectNode> list() {
        List<ObjectNode> list = new ArrayList<>(size());
        for (int index = 0; index < generated.count(); index++) {
            if (!removedGenerated.get(index)) {
                ObjectNode changed = changedGenerated.get(index);
                // Polled a lot: a generated registrant is built fresh, so only a stored one needs copying.
                list.add(changed != null ? changed.deepCopy() : generated.registrant(index));
            }
        }
        added.values().forEach(registrant -> list.add(registrant.deepCopy()));
        return list;
    }

    int size() {
        return generated.count() - removedGenerated.cardinality() + added.size();
    }

    /** Registrants marked {@code "attended": true}; generated ones have not attended unless a test says so. */
    int attendeeCount() {
        return (int) (changedGenerated.values().stream().filter(Registrants::attended).count()
                + added.values().stream().filter(Registrants::attended).count());
    }

    private static boolean attended(ObjectNode registrant) {
        return registrant.path("attended").asBoolean();
    }

    private Optional<ObjectNode> stored(String key) {
        int index = generated.indexOf(key);
        if (index < 0) {
            return Optional.ofNullable(added.get(key));
        }
        return removedGenerated.get(index) ? Optional.empty() : Optional.of(generatedAt(index));
    }

    private ObjectNode generatedAt(int index) {
        ObjectNode changed = changedGenerated.get(index);
        return changed != null ? changed : generated.registrant(index);
    }

    private void store(String key, ObjectNode registrant) {
        int index = generated.indexOf(key);
        if (index >= 0) {
            changedGenerated.put(index, registrant);
            removedGenerated.clear(index);
        } else {
            added.put(key, registrant);
        }
    }

    private static ApiError notFound(String email) {
        return ApiError.notFound("Registrant not found: " + email);
    }
}
