/** One runtime over several: each workload kind to the runtime that serves it. */
package dev.berth.runtime.merged;
