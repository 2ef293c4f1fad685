using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Supervision.Functions.Durable;
using Supervision.Sweep;
using Supervision.Vendors;

namespace Supervision.Functions.Sweep;

/// <summary>
/// The daily sweep on a timer. The attribute holds the default schedule itself, not a <c>%setting%</c> the host must
/// find (without it the host disables the function); <see cref="SweepScheduleMetadata"/> hands the host
/// <c>Supervision:Sweep:Schedule</c> instead when it is set (docs/decisions/0008).
/// </summary>
public sealed class SweepFunctions(
    DailySweep sweep,
    CertificateRenewalWorkflow renewal,
    OpenCertificateRenewalRequest openRenewal,
    RecordCertificateRenewal recordRenewal,
    TimeProvider time)
{
    public const string DailySweepName = "DailySweep";

    [Function(DailySweepName)]
    public Task<SweepReport> Run(
        [TimerTrigger(SweepOptions.DefaultSchedule)] TimerInfo timer,
        [DurableClient] DurableTaskClient durable,
        FunctionContext context) =>
        sweep.RunAsync(durable, time.GetUtcNow(), context.CancellationToken);

    [Function(nameof(CertificateRenewalWorkflow))]
    public Task<string> RunRenewal([OrchestrationTrigger] TaskOrchestrationContext context) =>
        renewal.RunAsync(context, context.GetInput<CertificateRenewalInput>()!);

    [Function(nameof(OpenCertificateRenewalRequest))]
    public Task<OpenedRequest> RunOpenRenewal([ActivityTrigger] CertificateRenewalRequest input, FunctionContext context) =>
        openRenewal.RunAsync(FunctionActivityContext.From(context, nameof(OpenCertificateRenewalRequest)), input);

    [Function(nameof(RecordCertificateRenewal))]
    public Task<string> RunRecordRenewal([ActivityTrigger] CertificateRenewalSubmission input, FunctionContext context) =>
        recordRenewal.RunAsync(FunctionActivityContext.From(context, nameof(RecordCertificateRenewal)), input);
}
