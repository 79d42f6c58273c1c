package com.flowbridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** One sandbox on an ephemeral port per test class, reset over HTTP before each test. */
abstract class RunningSandbox {

    static FlowSandbox sandbox;
    static SandboxHttp http;

    @BeforeAll
    static void startSandbox() {
        sandbox = FlowSandbox.start("127.0.0.1", 0, SandboxHttp.SECRET);
        http = new SandboxHttp(sandbox.baseUrl());
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @BeforeEach
    void resetSandbox() {
        assertThat(http.control("POST", "/reset", null).statusCode()).isEqualTo(200);
    }
}
