package dev.berth.runner.cli;

import static dev.berth.runner.cli.Services.condition;
import static dev.berth.runner.cli.Services.converged;
import static dev.berth.runner.cli.Services.declared;
import static dev.berth.runner.cli.Services.event;
import static dev.berth.runner.cli.Services.failed;
import static dev.berth.runner.cli.Services.progressing;
import static dev.berth.runner.cli.Services.ready;
import static dev.berth.runner.cli.Services.running;
import static dev.berth.runner.cli.Services.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proto.v1.AgentProto;
import dev.berth.runner.cli.Convergence.Phase;
import dev.berth.runner.cli.Convergence.Verdict;
import org.junit.jupiter.api.Test;

/**
 * apply --wait reads the agent's judgement (each component's state, the service's Converged
 * condition) and judges nothing by itself beyond which generation an answer describes.
 */
class ConvergenceTest {

  @Test
  void everyComponentRunningAndReadyAtTheAppliedGenerationIsConverged() {
    assertThat(Convergence.judge(running("hello", 2, "web", "db"), 2).phase())
        .isEqualTo(Phase.CONVERGED);
  }

  @Test
  void aComponentWithoutStatusIsPending() {
    AgentProto.Service service = declared("hello", 1, "web").build();

    Verdict verdict = Convergence.judge(service, 1);

    assertThat(verdict.phase()).isEqualTo(Phase.WAITING);
    assertThat(verdict.reason()).isEqualTo("web: pending");
  }

  @Test
  void runningAtAnOlderGenerationIsNotConvergence() {
    AgentProto.Service service = running("hello", 1, "web").toBuilder().setGeneration(2).build();

    Verdict verdict = Convergence.judge(service, 2);

    assertThat(verdict.phase()).isEqualTo(Phase.WAITING);
    assertThat(verdict.reason()).isEqualTo("web: generation 2 not observed yet");
  }

  @Test
  void aCrashLoopAtAnOlderGenerationIsNotThisApplysFailure() {
    AgentProto.Service service =
        declared("hello", 2, "web")
            .addComponents(status("web", "CrashLoopBackOff", 1).setMessage("restarted 4 times"))
            .build();

    assertThat(Convergence.judge(service, 2).phase()).isEqualTo(Phase.WAITING);
  }

  @Test
  void aCrashLoopAtTheAppliedGenerationFails() {
    AgentProto.Service service =
        declared("hello", 2, "web")
            .addComponents(status("web", "CrashLoopBackOff", 2).setMessage("restarted 4 times"))
            .build();

    Verdict verdict = Convergence.judge(service, 2);

    assertThat(verdict.phase()).isEqualTo(Phase.FAILING);
    assertThat(verdict.reason()).isEqualTo("web: CrashLoopBackOff (restarted 4 times)");
    assertThat(verdict.failureKey()).isEqualTo("web/state/CrashLoopBackOff");
  }

  @Test
  void theFailureKeyLeavesOutTheMessageSoARisingRestartCountIsOneFailure() {
    AgentProto.Service three =
        declared("hello", 1, "web")
            .addComponents(status("web", "CrashLoopBackOff", 1).setMessage("restarted 3 times"))
            .build();
    AgentProto.Service four =
        declared("hello", 1, "web")
            .addComponents(status("web", "CrashLoopBackOff", 1).setMessage("restarted 4 times"))
            .build();

    assertThat(Convergence.judge(three, 1).failureKey())
        .isEqualTo(Convergence.judge(four, 1).failureKey());
  }

  @Test
  void aServiceTheAgentCallsFailedIsAFailureInTheAgentsWords() {
    AgentProto.Service service =
        declared("hello", 1, "web")
            .addComponents(status("web", "running", 1))
            .addConditions(ready("web"))
            .addConditions(condition("web", "CertificateReady", "False", "IssuanceFailed"))
            .addConditions(failed("web: CertificateReady is False: IssuanceFailed (rate limited)"))
            .build();

    Verdict verdict = Convergence.judge(service, 1);

    assertThat(verdict.phase()).isEqualTo(Phase.FAILING);
    assertThat(verdict.reason())
        .isEqualTo("web: CertificateReady is False: IssuanceFailed (rate limited)");
  }

  @Test
  void whatTheAgentCallsProgressingIsWaitedForInItsWords() {
    AgentProto.Service service =
        declared("hello", 1, "web")
            .addComponents(status("web", "running", 1))
            .addConditions(ready("web"))
            .addConditions(condition("web", "CertificateReady", "False", "Pending"))
            .addConditions(progressing("web: CertificateReady is False: Pending (requested)"))
            .build();

    Verdict verdict = Convergence.judge(service, 1);

    assertThat(verdict.phase()).isEqualTo(Phase.WAITING);
    assertThat(verdict.reason()).isEqualTo("web: CertificateReady is False: Pending (requested)");
  }

  @Test
  void aRuntimeFailureTheAgentRetriesIsWaitedForThoughItsReasonEndsInFailed() {
    AgentProto.Service service =
        declared("hello", 1, "web")
            .addComponents(
                status("web", "RuntimeFailed", 1)
                    .setMessage("create hello_web failed: podman: exit 125 (trying again)"))
            .addConditions(condition("web", "Ready", "False", "RuntimeFailed"))
            .build();

    Verdict verdict = Convergence.judge(service, 1);

    assertThat(verdict.phase()).isEqualTo(Phase.WAITING);
    assertThat(verdict.reason()).startsWith("web: RuntimeFailed (create hello_web failed");
  }

  @Test
  void allRunningWithoutTheAgentsConvergedConditionIsNotConvergence() {
    AgentProto.Service service =
        declared("hello", 1, "web")
            .addComponents(status("web", "running", 1))
            .addConditions(ready("web"))
            .build();

    Verdict verdict = Convergence.judge(service, 1);

    assertThat(verdict.phase()).isEqualTo(Phase.WAITING);
    assertThat(verdict.reason()).isEqualTo("no Converged condition reported yet");
  }

  @Test
  void aConvergedConditionBesideAComponentStillBeingCreatedIsNotConvergence() {
    AgentProto.Service service =
        declared("hello", 2, "web")
            .addComponents(status("web", "creating", 2).setMessage("not on the node"))
            .addConditions(converged())
            .build();

    Verdict verdict = Convergence.judge(service, 2);

    assertThat(verdict.phase()).isEqualTo(Phase.WAITING);
    assertThat(verdict.reason()).isEqualTo("web: creating (not on the node)");
  }

  @Test
  void anExitedComponentFailsWithWhatTheAgentSaysOfIt() {
    AgentProto.Service service =
        declared("hello", 1, "job")
            .addComponents(
                status("job", "exited", 1)
                    .setExitCode(3)
                    .setMessage("exited with code 3; restart policy \"no\" keeps it stopped"))
            .build();

    Verdict verdict = Convergence.judge(service, 1);

    assertThat(verdict.phase()).isEqualTo(Phase.FAILING);
    assertThat(verdict.reason())
        .isEqualTo("job: exited (exited with code 3; restart policy \"no\" keeps it stopped)");
    assertThat(verdict.failureKey()).isEqualTo("job/state/exited");
  }

  @Test
  void aTerminalRuntimeFailureFailsAtOnceWithItsReason() {
    AgentProto.Service service =
        declared("hello", 1, "web")
            .addComponents(
                status("web", "ImageMissing", 1)
                    .setTerminal(true)
                    .setMessage("ensure image localhost/web:1 failed: image not known"))
            .addConditions(condition("web", "Ready", "False", "ImageMissing"))
            .build();

    Verdict verdict = Convergence.judge(service, 1);

    assertThat(verdict.phase()).isEqualTo(Phase.FAILING);
    assertThat(verdict.reason())
        .isEqualTo("web: ImageMissing (ensure image localhost/web:1 failed: image not known)");
    assertThat(verdict.failureKey()).isEqualTo("web/state/ImageMissing");
  }

  @Test
  void aRuntimeFailureTheAgentRetriesIsWaitedFor() {
    AgentProto.Service service =
        declared("hello", 1, "web")
            .addComponents(
                status("web", "PortTaken", 1)
                    .setMessage("create hello_web failed: port 8080 taken (trying again)"))
            .addConditions(condition("web", "Ready", "False", "PortTaken"))
            .build();

    Verdict verdict = Convergence.judge(service, 1);

    assertThat(verdict.phase()).isEqualTo(Phase.WAITING);
    assertThat(verdict.reason()).startsWith("web: PortTaken (create hello_web failed");
  }

  @Test
  void aRunningVmWhoseProbeDoesNotAnswerYetIsWaitedFor() {
    AgentProto.Service service =
        declared("hello", 1, "guest")
            .addComponents(status("guest", "running", 1))
            .addConditions(condition("guest", "Ready", "False", "ProbeFailing"))
            .addConditions(progressing("guest: Ready is False: ProbeFailing"))
            .build();

    Verdict verdict = Convergence.judge(service, 1);

    assertThat(verdict.phase()).isEqualTo(Phase.WAITING);
    assertThat(verdict.reason()).isEqualTo("guest: Ready is False: ProbeFailing");
  }

  @Test
  void aServiceHeldByABootStageIsWaitedFor() {
    AgentProto.Service service =
        declared("hello", 1, "web")
            .addComponents(status("web", "waiting", 1).setMessage("waits for boot stage data"))
            .addConditions(condition("web", "Ready", "False", "WaitingForStage"))
            .build();

    assertThat(Convergence.judge(service, 1).phase()).isEqualTo(Phase.WAITING);
  }

  @Test
  void aServiceDeclaredStoppedConvergesWhenItsComponentsAreStopped() {
    AgentProto.Service.Builder service =
        declared("hello", 3, "web")
            .addComponents(status("web", "stopped", 3))
            .addConditions(condition("web", "Ready", "False", "Stopped"))
            .addConditions(converged());
    service.getSpecBuilder().setDesiredState("stopped");

    assertThat(Convergence.judge(service.build(), 3).phase()).isEqualTo(Phase.CONVERGED);
  }

  @Test
  void generationZeroMeansTheGenerationTheServiceHasNow() {
    assertThat(Convergence.judge(running("hello", 4, "web"), 0).phase()).isEqualTo(Phase.CONVERGED);
  }

  @Test
  void anAppliedGenerationTheAgentRevertedIsAFailureInItsEventsWords() {
    String reverted =
        "auto_revert: generation 4 failed (ProgressDeadlineExceeded), so the spec of generation 3,"
            + " the last that became healthy, is declared again as generation 5";
    AgentProto.Service service =
        running("web", 5, "httpd").toBuilder()
            .addEvents(event("web", "httpd", "Warning", "AutoReverted", reverted))
            .build();

    Verdict verdict = Convergence.judge(service, 4);

    assertThat(verdict.phase()).isEqualTo(Phase.FAILING);
    assertThat(verdict.reason()).isEqualTo("generation 4 was reverted: " + reverted);
  }

  @Test
  void anAppliedGenerationReplacedMeanwhileIsAFailureNotTheNewOnesConvergence() {
    Verdict verdict = Convergence.judge(running("web", 6, "httpd"), 4);

    assertThat(verdict.phase()).isEqualTo(Phase.FAILING);
    assertThat(verdict.reason())
        .isEqualTo("generation 4 is no longer declared: generation 6 was declared meanwhile");
  }

  @Test
  void theRevertOfAnotherGenerationDoesNotExplainThisOnesEnd() {
    AgentProto.Service service =
        running("web", 6, "httpd").toBuilder()
            .addEvents(
                event(
                    "web",
                    "httpd",
                    "Warning",
                    "AutoReverted",
                    "auto_revert: generation 2 failed (NewWorkloadExited), so ..."))
            .build();

    assertThat(Convergence.judge(service, 4).reason()).startsWith("generation 4 is no longer");
  }
}
