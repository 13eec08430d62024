/** Boot stages: services held until the stages before them run and answer their probes. */
package dev.berth.reconcilers.stage;
