using Microsoft.DurableTask;

namespace Supervision.Mail;

/// <summary>
/// Sends one mail from a workflow. Idempotent by the request's key: a retried run returns the recorded outcome and
/// sends nothing twice. A rejection comes back as an outcome; a transient failure fails the activity, so the caller's
/// retry policy runs it again.
/// </summary>
public sealed class SendMail(Mailer mailer) : TaskActivity<MailRequest, MailOutcome>
{
    public override Task<MailOutcome> RunAsync(TaskActivityContext context, MailRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return mailer.SendAsync(input, CancellationToken.None);
    }
}
