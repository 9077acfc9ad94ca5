/*
 * The Conform DSL: the same model as the YAML spec files, written as declarations.
 *
 *   source customers from landing path 'customers/*.parquet' format parquet
 *   source crm.customers from crm table public.customers key (customer_id)
 *     cdc audit_column (column updated_at, lookback '5m')
 *   dimension dim_customer from customers key (customer_id) scd2 sequence by effective_date
 *   test splits_history for dim_customer batch customers (id) (1) expect (id) (1)
 *
 * Expressions come from the one shared expression grammar (imports/Expression.g4). DSL keywords
 * are not reserved: they can still name columns, sources and connections.
 */
grammar Conform;

import Expression;

specFile : declaration* EOF ;

declaration
  : sourceDeclaration
  | dimensionDeclaration
  | testDeclaration
  ;

sourceDeclaration : SOURCE name FROM name sourceClause* ;

sourceClause
  : PATH STRING                                                   # pathClause
  | TABLE name                                                    # tableClause
  | KEY nameList                                                  # sourceKeyClause
  | CDC identifier (LPAREN option (COMMA option)* RPAREN)?         # cdcClause
  | FORMAT identifier                                             # formatClause
  | OPTIONS LPAREN option (COMMA option)* RPAREN                   # optionsClause
  | COLUMNS LPAREN columnDefinition (COMMA columnDefinition)* RPAREN # columnsClause
  | DELETE WHEN expression                                        # deleteWhenClause
  ;

option : (identifier | STRING) optionValue ;

optionValue : STRING | MINUS? INTEGER_VALUE | MINUS? DECIMAL_VALUE | TRUE | FALSE | identifier ;

columnDefinition : identifier typeName ;

dimensionDeclaration : DIMENSION name FROM name dimensionClause* ;

dimensionClause
  : KEY nameList                                # keyClause
  | SURROGATE identifier                        # surrogateClause
  | scdKind scdOption*                          # scdClause
  | COLUMN identifier (EQ expression)?          # columnClause
  | WHERE expression                            # whereClause
  | CHECK expression                            # checkClause
  | ON CHECK FAILURE identifier                 # onCheckFailureClause
  ;

scdKind : SCD1 | SCD2 | SCD INTEGER_VALUE ;

scdOption
  : SEQUENCE BY expression                      # sequenceByOption
  | TIE BREAKER expressionList                  # tieBreakerOption
  | TRACK nameList                              # trackOption
  | DELETES identifier                          # deletesOption
  | VALID FROM identifier                       # validFromOption
  | VALID TO identifier                         # validToOption
  | CURRENT FLAG identifier                     # currentFlagOption
  | DELETED FLAG identifier                     # deletedFlagOption
  | END OF TIME STRING                          # endOfTimeOption
  ;

nameList : LPAREN identifier (COMMA identifier)* RPAREN | identifier ;

expressionList : LPAREN expression (COMMA expression)* RPAREN | expression ;

testDeclaration : TEST name FOR name testClause* ;

testClause
  : BATCH batchTable*                           # batchClause
  | EXPECT table                                # expectClause
  ;

batchTable : tableName table ;

// Stricter than `name`: after `batch`, the words `batch`, `expect`, `test`... start something else.
tableName : tableWord (DOT tableWord)* ;

// `table` and `cdc` start no test clause, so they may name a source here as they did before.
tableWord : IDENTIFIER | QUOTED_IDENTIFIER | TABLE | CDC ;

table
  : LPAREN identifier (COMMA identifier)* RPAREN row*    # inlineTable
  | FILE STRING                                        # fileTable
  ;

row : LPAREN cell (COMMA cell)* RPAREN ;

cell : STRING | MINUS? INTEGER_VALUE | MINUS? DECIMAL_VALUE | TRUE | FALSE | NULL ;

name : identifier (DOT identifier)* ;

identifier : IDENTIFIER | QUOTED_IDENTIFIER | DATE | TIMESTAMP | dslKeyword ;

dslKeyword
  : SOURCE | DIMENSION | TEST | FROM | PATH | FORMAT | OPTIONS | COLUMNS | DELETE | KEY
  | SURROGATE | SCD | SCD1 | SCD2 | SEQUENCE | BY | TIE | BREAKER | TRACK | DELETES | VALID | TO
  | CURRENT | FLAG | DELETED | OF | TIME | COLUMN | WHERE | CHECK | ON | FAILURE | FOR | BATCH
  | FILE | EXPECT | TABLE | CDC
  ;

SOURCE : S O U R C E ;
DIMENSION : D I M E N S I O N ;
TEST : T E S T ;
FROM : F R O M ;
PATH : P A T H ;
FORMAT : F O R M A T ;
OPTIONS : O P T I O N S ;
COLUMNS : C O L U M N S ;
DELETE : D E L E T E ;
KEY : K E Y ;
SURROGATE : S U R R O G A T E ;
SCD : S C D ;
SCD1 : S C D '1' ;
SCD2 : S C D '2' ;
SEQUENCE : S E Q U E N C E ;
BY : B Y ;
TIE : T I E ;
BREAKER : B R E A K E R ;
TRACK : T R A C K ;
DELETES : D E L E T E S ;
VALID : V A L I D ;
TO : T O ;
CURRENT : C U R R E N T ;
FLAG : F L A G ;
DELETED : D E L E T E D ;
OF : O F ;
TIME : T I M E ;
COLUMN : C O L U M N ;
WHERE : W H E R E ;
CHECK : C H E C K ;
ON : O N ;
FAILURE : F A I L U R E ;
FOR : F O R ;
BATCH : B A T C H ;
FILE : F I L E ;
EXPECT : E X P E C T ;
TABLE : T A B L E ;
CDC : C D C ;
