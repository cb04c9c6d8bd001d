using EdgeMigrate.Models;
using EdgeMigrate.Models.Grains;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeMigrate.Silo.Api;

/// <summary>RFC 7807 problem responses with a detail that says what to fix.</summary>
public static class ApiProblems
{
    public static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult Conflict(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    public static ProblemHttpResult Unprocessable(string detail, string title) => TypedResults.Problem(detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: title);

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) => TypedResults.ValidationProblem(errors, title: "The request is invalid");

    public static ValidationProblem Invalid(string field, string problem) => Invalid(new Dictionary<string, string[]> { [field] = [problem] });

    /// <summary>A route id that cannot name an entity (ids appear in topics and file names), or null when it is valid.</summary>
    public static ValidationProblem? InvalidId(string id, string field, string what) => EntityId.IsValid(id) ? null : Invalid(field, $"not a valid {what} id");

    public static ProblemHttpResult Refused(MigrationRefusal refusal, string reason) => refusal switch
    {
        MigrationRefusal.NotFound => NotFound(reason),
        MigrationRefusal.Conflict => Conflict(reason),
        _ => Unprocessable(reason, "The migration cannot be done"),
    };
}
