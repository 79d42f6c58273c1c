package com.flowbridge.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;

/**
 * The registrants of a generated session, each derived from its position alone: 2,000 sessions of 100
 * registrants cost no memory until a test changes one of them (see {@link Registrants}).
 */
record GeneratedRegistrants(String sessionToken, int count, LoginLinks loginLinks) {

    private static final String[] FIRST_NAMES = {"Zoë", "José", "Amélie", "Łukasz", "Søren", "Ana", "Mehmet", "Yuki"};
    private static final String DOMAIN = "@example.test";
    private static final String PREFIX = "attendee";
    private static final Instant FIRST_REGISTRATION = Instant.parse("2026-01-05T09:00:00Z");

    static GeneratedRegistrants none(LoginLinks loginLinks) {
        return new GeneratedRegistrants("", 0, loginLinks);
    }

    /** Registrant {@code index} (0-based): attendee1.gen-00001@example.test and so on. */
    ObjectNode registrant(int index) {
        int number = index + 1;
        return Json.object()
                .put("email", PREFIX + number + "." + sessionToken + DOMAIN)
                .put("firstName", FIRST_NAMES[index % FIRST_NAMES.length])
                .put("lastName", "Attendee " + number)
                .put("registrationDate", FIRST_REGISTRATION.plusSeconds(60L * index).toString())
                .put("loginUrl", loginLinks.forToken(sessionToken + "-" + number))
                .put("company", "Company " + (index % 50));
    }

    /** The index of the generated registrant with this email key (trimmed, lower case), or -1. */
    int indexOf(String emailKey) {
        String suffix = ("." + sessionToken + DOMAIN).toLowerCase(Locale.ROOT);
        if (count == 0 || !emailKey.startsWith(PREFIX) || !emailKey.endsWith(suffix)) {
            return -1;
        }
        String number = emailKey.substring(PREFIX.length(), emailKey.length() - suffix.length());
        if (number.isEmpty() || number.length() > 9 || !number.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        int index = Integer.parseInt(number) - 1;
        return index >= 0 && index < count ? index : -1;
    }
}
