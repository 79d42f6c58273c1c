package com.flowbridge.command;

/** The topics of one command flow: commands in, one outcome per command out, dead letters. */
public record CommandTopics(String commands, String results, String deadLetters) {
}
