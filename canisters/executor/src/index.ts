import { IDL, query } from 'azle';

export default class {
    @query([], IDL.Text)
    get_name(): string {
        return 'executor';
    }
}
