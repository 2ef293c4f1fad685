using Supervision.Domain.Portfolio;

namespace Supervision.Domain.Tests.Portfolio;

public sealed class OutstandingsTests
{
    private static readonly DateOnly Today = new(2027, 3, 10);

    private static readonly Outstanding[] Owed =
    [
        new(OverdueKind.Checkout, new DateOnly(2027, 3, 1)),
        new(OverdueKind.Checkout, new DateOnly(2027, 2, 20)),
        new(OverdueKind.Report, new DateOnly(2027, 3, 31)),
        new(OverdueKind.Incident, new DateOnly(2027, 3, 9)),
    ];

    [Fact]
    public void Qa_1_6_WhatIsLate_IsReadAgainstToday_FromTheEarliestDueDayOfEachKind()
    {
        IReadOnlyDictionary<OverdueKind, DateOnly> earliest = Outstandings.EarliestByKind(Owed);

        Assert.Equal(new DateOnly(2027, 2, 20), earliest[OverdueKind.Checkout]);
        Assert.Equal([OverdueKind.Checkout, OverdueKind.Incident], Outstandings.OverdueKinds(earliest, Today));
        Assert.Equal(18, Outstandings.DaysOverdue(earliest, Today));
        Assert.Equal([OverdueKind.Report, OverdueKind.Checkout, OverdueKind.Incident], Outstandings.OverdueKinds(earliest, new DateOnly(2027, 4, 1)));
        Assert.Equal(0, Outstandings.DaysOverdue(earliest, new DateOnly(2027, 2, 20)));
    }

    [Fact]
    public void TheSortKey_PutsTheMostOverdueFirst_AndNothingDueLast_WhateverDayItIs()
    {
        string mostLate = Outstandings.SortKey(Outstandings.EarliestByKind(Owed), "b");
        string lessLate = Outstandings.SortKey(Outstandings.EarliestByKind([new Outstanding(OverdueKind.Report, new DateOnly(2027, 3, 5))]), "a");
        string nothing = Outstandings.SortKey(Outstandings.EarliestByKind([]), "c");

        Assert.Equal([mostLate, lessLate, nothing], new[] { nothing, lessLate, mostLate }.Order(StringComparer.Ordinal));
        Assert.Equal("20270220|b", mostLate);
    }
}
