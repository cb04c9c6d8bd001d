using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Silo.Api;

/// <summary>RFC 7807 problem responses with a detail that says what to fix.</summary>
public static class ApiProblems
{
    public static IResult NotFound(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static IResult Conflict(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    public static IResult Invalid(IDictionary<string, string[]> errors) => Results.ValidationProblem(errors, title: "The request is invalid");

    public static IResult Invalid(string field, string problem) => Invalid(new Dictionary<string, string[]> { [field] = [problem] });

    public static IResult Refused(MigrationRefusal refusal, string reason) => refusal switch
    {
        MigrationRefusal.NotFound => NotFound(reason),
        MigrationRefusal.Conflict => Conflict(reason),
        _ => Results.Problem(reason, statusCode: StatusCodes.Status422UnprocessableEntity, title: "The migration cannot be done"),
    };
}
