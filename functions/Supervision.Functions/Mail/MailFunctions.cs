using Microsoft.Azure.Functions.Worker;
using Supervision.Functions.Durable;
using Supervision.Mail;

namespace Supervision.Functions.Mail;

/// <summary>Bindings of the mail activities; each hands over to the library.</summary>
public sealed class MailFunctions(SendMail sendMail)
{
    [Function(nameof(SendMail))]
    public Task<MailOutcome> RunSendMail([ActivityTrigger] MailRequest input, FunctionContext context) =>
        sendMail.RunAsync(FunctionActivityContext.From(context, nameof(SendMail)), input);
}
