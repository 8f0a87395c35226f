/*
| Test helpers for /api/v1: personal access tokens and problem+json assertions.
*/
import type { ApiResponse } from '@japa/api-client'
import type { Assert } from '@japa/assert'
import User from '#models/user'

/** A token value for the user with the given scopes (all the user's permissions by default) */
export async function tokenFor(user: User, scopes: string[] = ['*'], options: { expiresIn?: string | number } = {}) {
  const token = await User.accessTokens.create(user, scopes, { name: 'test token', expiresIn: options.expiresIn })
  return token.value!.release()
}

/** Asserts an RFC 9457 answer with the given status and code, and returns its body */
export function assertProblem(assert: Assert, response: ApiResponse, status: number, code: string) {
  response.assertStatus(status)
  assert.match(response.header('content-type') ?? '', /^application\/problem\+json/)
  const body = JSON.parse(response.text())
  assert.equal(body.status, status)
  assert.equal(body.code, code)
  assert.isString(body.type)
  assert.isString(body.title)
  assert.notProperty(body, 'stack')
  return body as {
    type: string
    title: string
    status: number
    code: string
    detail?: string
    instance?: string
    errors?: Array<{ field: string; message: string; rule: string }>
  }
}
