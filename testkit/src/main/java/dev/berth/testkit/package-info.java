/**
 * Testing an embedding: {@link dev.berth.testkit.BerthTestKit} runs Berth's loops (and the
 * embedder's own) on the fake runtime, a throwaway registry and a manual clock; {@link
 * dev.berth.testkit.BerthExtension} gives each JUnit 5 test a fresh kit.
 */
package dev.berth.testkit;
