using System.Net;
using System.Net.Http.Headers;
using Polly;
using Polly.Timeout;
using Supervision.Mail;

namespace Supervision.Tests.Mail;

public sealed class SendGridTransportTests
{
    private static readonly DateTimeOffset Now = new(2027, 2, 16, 0, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    private static HttpResponseMessage Answer(HttpStatusCode status, TimeSpan? retryAfter = null)
    {
        var response = new HttpResponseMessage(status);
        if (retryAfter is { } delay)
            response.Headers.RetryAfter = new RetryConditionHeaderValue(delay);
        return response;
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public void TooManyRequestsAndServerErrors_AreRetried(HttpStatusCode status)
    {
        using HttpResponseMessage response = Answer(status);

        Assert.True(SendGridTransport.ShouldRetry(Outcome.FromResult(response), MaxDelay, Now));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.RequestEntityTooLarge)]
    [InlineData(HttpStatusCode.Accepted)]
    public void OtherClientErrors_AndSuccess_AreNotRetried(HttpStatusCode status)
    {
        using HttpResponseMessage response = Answer(status);

        Assert.False(SendGridTransport.ShouldRetry(Outcome.FromResult(response), MaxDelay, Now));
    }

    [Fact]
    public void NetworkErrorsAndAttemptTimeouts_AreRetried()
    {
        Assert.True(SendGridTransport.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new HttpRequestException("refused")), MaxDelay, Now));
        Assert.True(SendGridTransport.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException()), MaxDelay, Now));
    }

    [Fact]
    public void ARetryAfterWithinTheMaximumDelay_IsWaitedFor_ALongerOneIsLeftToTheWorkflowRetry()
    {
        using HttpResponseMessage soon = Answer(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(30));
        using HttpResponseMessage late = Answer(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(31));

        Assert.True(SendGridTransport.ShouldRetry(Outcome.FromResult(soon), MaxDelay, Now));
        Assert.False(SendGridTransport.ShouldRetry(Outcome.FromResult(late), MaxDelay, Now));
    }

    [Fact]
    public void RetryAfter_ReadsADelayOrADate()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(Now.AddSeconds(12));

        Assert.Equal(TimeSpan.FromSeconds(12), SendGridTransport.RetryAfter(response.Headers, Now));
        Assert.Equal(TimeSpan.Zero, SendGridTransport.RetryAfter(response.Headers, Now.AddMinutes(1)));

        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromSeconds(5), SendGridTransport.RetryAfter(response.Headers, Now));
    }

    [Fact]
    public void Reason_JoinsSendGridsErrorMessages_WithTheirFields()
    {
        const string body = """{"errors":[{"message":"The from address does not match a verified Sender Identity.","field":"from","help":null},{"message":"Invalid type.","field":null}]}""";

        Assert.Equal("from: The from address does not match a verified Sender Identity.; Invalid type.", SendGridTransport.Reason(body));
    }

    [Fact]
    public void Reason_KeepsABodyThatIsNotSendGridsErrorDocument()
    {
        Assert.Equal("upstream said no", SendGridTransport.Reason("  upstream said no \n"));
        Assert.Equal("""{"message":"x"}""", SendGridTransport.Reason("""{"message":"x"}"""));
    }
}
