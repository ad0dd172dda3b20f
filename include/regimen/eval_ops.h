/* regimen: the rg_eval_ops of regimen's problem files, which the farm (farm.h) runs on
 * every rank: create() loads the problem text it is given (the io loader) and builds an
 * rg_evaluator (evaluate.h) that owns the problem. In io because it joins the loader to
 * the optimiser's evaluator, and io is the lowest layer above both. */
#ifndef REGIMEN_EVAL_OPS_H
#define REGIMEN_EVAL_OPS_H

#include "regimen/evaluate.h"

/* The table (static, never freed). Its contexts are rg_evaluator pointers: create() returns
 * one (NULL with diag filled when the text does not load or the evaluator cannot be built),
 * destroy() is rg_evaluator_free, eval() is rg_evaluator_eval, and a cohort problem's genome
 * is made of its patients: parts(), eval_parts() and combine() are rg_evaluator_parts,
 * rg_evaluator_eval_parts and rg_evaluator_combine. */
const rg_eval_ops *rg_eval_ops_problem(void);

#endif
