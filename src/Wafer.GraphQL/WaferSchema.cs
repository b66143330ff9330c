using GraphQL;
using GraphQL.Conversion;
using GraphQL.Introspection;
using GraphQL.Resolvers;
using GraphQL.Types;
using GraphQLParser.AST;

namespace Wafer.GraphQL;

/// <summary>
/// A schema whose introspection answers what current GraphQL tools ask (graphql-js's introspection query with
/// <c>specifiedByUrl</c>, <c>directiveIsRepeatable</c> and <c>inputValueDeprecation</c>): <c>__Type.specifiedByURL</c>,
/// <c>__Directive.isRepeatable</c>, <c>includeDeprecated</c> on arguments and input fields, <c>isDeprecated</c> and
/// <c>deprecationReason</c> on input values, and the built-in directives <c>@specifiedBy</c> and <c>@oneOf</c>.
/// Arguments whose default is <c>null</c> (<see cref="ArgumentDefaults"/>) show it as their <c>defaultValue</c>.
/// Names are exactly as generated: no camel-casing.
/// </summary>
internal sealed class WaferSchema : Schema
{
    /// <summary>Metadata key of a scalar's <c>specifiedByURL</c>.</summary>
    public const string SpecifiedByUrlKey = "specifiedByURL";

    public WaferSchema()
    {
        NameConverter = DefaultNameConverter.Instance;
        Features.DeprecationOfInputValues = true;
        Features.RepeatableDirectives = true;
        Filter = new IntrospectionFilter();
        Directives.Register(SpecifiedBy(), OneOf());
    }

    protected override void OnBeforeInitializeType(IGraphType graphType)
    {
        base.OnBeforeInitializeType(graphType);
        switch (graphType)
        {
            case __Type type:
                type.AddField(new FieldType
                {
                    Name = "specifiedByURL",
                    Description = "A URL that specifies the behavior of a custom scalar; null for every other type.",
                    ResolvedType = new StringGraphType(),
                    Resolver = new FuncFieldResolver<object?>(context =>
                        context.Source is ScalarGraphType scalar ? scalar.GetMetadata<string?>(SpecifiedByUrlKey) : null),
                });
                break;
            case __InputValue inputValue when inputValue.GetField("defaultValue") is { Resolver: { } printed } defaultValue:
                // GraphQL.NET knows no null default: an argument marked with one shows it.
                defaultValue.Resolver = new FuncFieldResolver<object?>(async context =>
                    ArgumentDefaults.HasNullDefault(context.Source) ? "null" : await printed.ResolveAsync(context));
                break;
            case __Directive directive when directive.GetField("args") is { } args && args.Arguments?.Find("includeDeprecated") is null:
                // Every other list of input values takes includeDeprecated: directive arguments too (graphql-js asks).
                args.Arguments ??= [];
                args.Arguments.Add(new QueryArgument(new BooleanGraphType()) { Name = "includeDeprecated", DefaultValue = false });
                var listed = args.Resolver!;
                args.Resolver = new FuncFieldResolver<object?>(async context =>
                {
                    var all = await listed.ResolveAsync(context);
                    return context.GetArgument("includeDeprecated", false) || all is not IEnumerable<QueryArgument> arguments
                        ? all
                        : arguments.Where(a => a.DeprecationReason is null).ToList();
                });
                break;
        }
    }

    private static Directive SpecifiedBy() => new TypeSystemDirective("specifiedBy", DirectiveLocation.Scalar)
    {
        Description = "Exposes a URL that specifies the behavior of this scalar.",
        Arguments = new QueryArguments(new QueryArgument(new NonNullGraphType(new StringGraphType()))
        {
            Name = "url",
            Description = "The URL that specifies the behavior of this scalar.",
        }),
    };

    private static Directive OneOf() => new TypeSystemDirective("oneOf", DirectiveLocation.InputObject)
    {
        Description = "Indicates exactly one field must be supplied and this field must not be null.",
    };

    /// <summary>A built-in directive of the type system, listed by introspection (GraphQL.NET hides such directives by default).</summary>
    private sealed class TypeSystemDirective(string name, DirectiveLocation location) : Directive(name, location)
    {
        public override bool? Introspectable => true;
    }

    /// <summary>Lists <c>__Directive.isRepeatable</c> in introspection too, which the default filter hides though it answers it.</summary>
    private sealed class IntrospectionFilter : DefaultSchemaFilter
    {
        public override Task<bool> AllowField(IGraphType parent, IFieldType field) =>
            parent is __Directive && field.Name == "isRepeatable" ? Allowed : base.AllowField(parent, field);
    }
}
